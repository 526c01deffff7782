// The hand-written loop: Keras's formulas (fused sigmoid/softmax cross-entropy, SGD with momentum, Adam) on Eigen
// matrices allocated once, row-major with one row per sample as in Descent. Its products call the same kernels as
// Descent's layers (descent::matmul: OpenBLAS or Eigen by shape), so that the ratio measures framework overhead.
#include "speed_of_light.hpp"

#include <chrono>
#include <cmath>
#include <numeric>

namespace bench {
namespace {

using descent::Scalar;
using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;

struct DenseState {
  Matrix w, dw, slot1, slot2;  // slots: momentum velocity, or Adam's m and v
  RowVector b, db, bslot1, bslot2;
  Matrix z;   // pre-activation; relu is applied in place for hidden layers
  Matrix dz;  // dL/dz
};

struct Net {
  std::vector<DenseState> layers;
  Matrix x, y;
  long step = 0;
};

Net make_net(const Config& c) {
  Net net;
  descent::Rng rng(1);
  for (std::size_t i = 1; i < c.widths.size(); ++i) {
    const Index in = c.widths[i - 1], out = c.widths[i];
    DenseState s;
    const double limit = std::sqrt(6.0 / static_cast<double>(in + out));
    s.w.resize(in, out);
    for (Index k = 0; k < s.w.size(); ++k)
      s.w.data()[k] = static_cast<Scalar>((2 * descent::uniform01(rng) - 1) * limit);
    s.b = RowVector::Zero(out);
    s.dw.resize(in, out);
    s.db.resize(out);
    s.slot1 = s.slot2 = Matrix::Zero(in, out);
    s.bslot1 = s.bslot2 = RowVector::Zero(out);
    s.z.resize(c.batch, out);
    s.dz.resize(c.batch, out);
    net.layers.push_back(std::move(s));
  }
  net.x.resize(c.batch, c.widths.front());
  net.y.resize(c.batch, c.widths.back());
  return net;
}

// Returns the batch's summed loss; leaves dL/dlogits (batch mean included) in the last layer's dz.
double forward_loss(const Config& c, Net& net, bool training) {
  const Matrix* h = &net.x;
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    DenseState& s = net.layers[l];
    descent::matmul(*h, s.w, s.z);
    s.z.rowwise() += s.b;
    if (l + 1 < net.layers.size()) s.z = s.z.cwiseMax(Scalar(0));
    h = &s.z;
  }
  Matrix& z = net.layers.back().z;
  Matrix& grad = net.layers.back().dz;
  const Scalar inv = Scalar(1) / static_cast<Scalar>(z.rows());
  double loss = 0;
  if (c.binary()) {  // one output column: the logits and targets are flat arrays, and vectorize as such
    using Flat = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
    const Eigen::Map<const Flat> v(z.data(), z.rows()), t(net.y.data(), z.rows());
    loss += (v.max(Scalar(0)) - v * t + (-v.abs()).exp().log1p()).template cast<double>().sum();
    if (training) Eigen::Map<Flat>(grad.data(), z.rows()) = ((Scalar(1) + (-v).exp()).inverse() - t) * inv;
    if (!training) z = (Scalar(1) + (-z.array()).exp()).inverse().matrix();
  } else {
    for (Index i = 0; i < z.rows(); ++i) {
      const Scalar top = z.row(i).maxCoeff();
      auto e = (z.row(i).array() - top).exp();
      const Scalar sum = e.sum();
      if (training) {
        loss += std::log(sum) + top - z.row(i).dot(net.y.row(i));
        grad.row(i) = (e / sum - net.y.row(i).array()) * inv;
      } else {
        z.row(i) = e / sum;
      }
    }
  }
  return loss;
}

void backward_update(const Config& c, Net& net) {
  ++net.step;
  const Scalar lr = static_cast<Scalar>(c.learning_rate());
  const Scalar momentum = static_cast<Scalar>(c.momentum());
  const double b1 = 0.9, b2 = 0.999;
  const Scalar adam_lr = static_cast<Scalar>(c.learning_rate() * std::sqrt(1 - std::pow(b2, net.step)) /
                                             (1 - std::pow(b1, net.step)));
  for (std::size_t l = net.layers.size(); l-- > 0;) {
    DenseState& s = net.layers[l];
    const Matrix& input = l == 0 ? net.x : net.layers[l - 1].z;
    descent::matmul_transpose_a(input, s.dz, s.dw);
    s.db = s.dz.colwise().sum();
    if (l > 0) {
      Matrix& below = net.layers[l - 1].dz;
      descent::matmul_transpose_b(s.dz, s.w, below);
      below = (input.array() > Scalar(0)).select(below, Scalar(0));
    }
    if (c.optimizer == "adam") {
      auto adam = [&](auto& w, auto& grad, auto& m, auto& v) {
        m = Scalar(b1) * m + Scalar(1 - b1) * grad;
        v.array() = Scalar(b2) * v.array() + Scalar(1 - b2) * grad.array().square();
        w.array() -= adam_lr * m.array() / (v.array().sqrt() + Scalar(1e-7));
      };
      adam(s.w, s.dw, s.slot1, s.slot2);
      adam(s.b, s.db, s.bslot1, s.bslot2);
    } else if (momentum != 0) {
      s.slot1 = momentum * s.slot1 - lr * s.dw;
      s.w += s.slot1;
      s.bslot1 = momentum * s.bslot1 - lr * s.db;
      s.b += s.bslot1;
    } else {
      s.w -= lr * s.dw;
      s.b -= lr * s.db;
    }
  }
}

}  // namespace

double speed_of_light_epoch(const Config& c, const descent::Dataset& d, int epoch) {
  Net net = make_net(c);
  std::vector<Index> order(static_cast<std::size_t>(d.x.rows()));
  const auto start = std::chrono::steady_clock::now();
  std::iota(order.begin(), order.end(), Index{0});
  if (!c.inference) {
    descent::Rng rng(descent::mix_seed(42, static_cast<std::uint64_t>(epoch)));
    descent::shuffle(order, rng);
  }
  double loss = 0;
  for (Index first = 0; first < d.x.rows(); first += c.batch) {
    for (Index k = 0; k < c.batch; ++k) {
      // Rows a few ahead are prefetched, as Descent's gather does: each shuffled row's copy waits on memory.
      if (first + k + 4 < d.x.rows()) {
        const Scalar* ahead = d.x.row(order[static_cast<std::size_t>(first + k + 4)]).data();
        constexpr Index kLine = 64 / sizeof(Scalar);  // one prefetch per cache line, in float or double builds
        for (Index j = 0; j < d.x.cols(); j += kLine) __builtin_prefetch(ahead + j);
      }
      const Index row = order[static_cast<std::size_t>(first + k)];
      net.x.row(k) = d.x.row(row);
      if (!c.inference) net.y.row(k) = d.y.row(row);
    }
    loss += forward_loss(c, net, !c.inference);
    if (!c.inference) backward_update(c, net);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!std::isfinite(loss)) throw descent::Error("speed of light: the loss went non-finite");
  return seconds;
}

}  // namespace bench
