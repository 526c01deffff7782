// The hand-written loop: Keras's formulas (fused sigmoid/softmax cross-entropy, SGD with momentum, Adam) on Eigen
// matrices allocated once, row-major with one row per sample as in Descent. Its products call the same kernels as
// Descent's layers (descent::matmul and descent::gemm: OpenBLAS or Eigen by shape), so that the ratio measures
// framework overhead. The convnets B6 and B7 add hand-written passes written for their one case (3 x 3 "valid"
// convolutions, 2 x 2 pools) and split over the threads sample by sample: im2col (in cache-sized chunks of samples),
// bias and relu in one sweep, max pooling, dropout, and in backward the pool's scatter fused with relu's mask, then
// col2im.
#include "speed_of_light.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
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

// One convolution of a convnet with its pool. Its output, (batch, pool_h * pool_w * filters) or z itself, is what the
// next convolution's im2col (or Flatten) reads.
struct ConvState {
  ConvShape g;
  Matrix w, dw, slot1, slot2;  // (window, filters), Keras's kernel order (ky, kx, channel) by rows
  RowVector b, db, bslot1, bslot2;
  Index chunk;    // samples per im2col pass
  Matrix cols;    // (chunk * positions, window): im2col of the input; backward reuses it for dcols
  Matrix z;       // (batch, positions * filters), seen as (batch * positions, filters) by the products; relu in place
  Matrix dz;      // dL/dz, the same shape
  Matrix pooled;  // (batch, pooled outputs)
  std::vector<std::int32_t> argmax;  // per pooled value, the index in its sample's z it came from
  Matrix dx;      // dL/d(input), (batch, height * width * channels); not for the first convolution

  const Matrix& output() const { return g.conv.pool ? pooled : z; }
};

struct Net {
  std::vector<ConvState> convs;
  std::vector<DenseState> layers;
  Matrix x, y;
  Matrix mask, dropped;  // dropout's per-element scale (0 or 1 / (1 - rate)) and its output
  Matrix dflat;          // dL/d(the first dense layer's input)
  const Matrix* flat = nullptr;  // the first dense layer's input: x, or the convolutions' output (after dropout)
  descent::Rng dropout_rng{3};
  long step = 0;
};

// The most values one im2col buffer holds: the convolutions run chunk by chunk of samples (forward: im2col, product;
// backward: im2col again when there are several chunks, dW accumulated, dcols, col2im), so that a chunk's columns are
// still in cache when its products read them. Measured on B6 and B7 (2-core AVX-512 EPYC, 1 thread): chunks of 2^18
// or 2^20 values train 20-40 % faster than the whole batch at once (B7: 58 MB of columns for its second convolution)
// or than chunks of 2^22, despite the second im2col. Descent's BaseConv::kColsBudget is the same 2^18.
constexpr Index kColsChunk = Index{1} << 18;

// Glorot uniform from fans, as Keras's default kernel initializer (a convolution's fans count its 3 x 3 window).
void glorot_uniform(Matrix& w, Index fan_in, Index fan_out, descent::Rng& rng) {
  const double limit = std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
  for (Index k = 0; k < w.size(); ++k) w.data()[k] = static_cast<Scalar>((2 * descent::uniform01(rng) - 1) * limit);
}

// Runs f(sample) for samples [0, n), split over the threads once the pass moves enough values to repay the fork
// (64 Ki values a thread, Descent's rule for its per-sample passes).
template <class F>
void for_samples(Index n, Index values_per_sample, F&& f) {
  const int threads = static_cast<int>(
      std::clamp<Index>(n * values_per_sample / (Index{1} << 16), 1, std::min<Index>(n, descent::num_threads())));
  if (threads == 1) {
    for (Index i = 0; i < n; ++i) f(i);
    return;
  }
#pragma omp parallel for num_threads(threads) schedule(static)
  for (Index i = 0; i < n; ++i) f(i);
}

// im2col of `count` samples, "valid" and stride 1: the row of output (oy, ox) is, for each ky, the kKernel * channels
// values of input row oy + ky from column ox on, which lie side by side.
void im2col(const ConvShape& g, const Scalar* x, Index count, Scalar* cols) {
  const Index positions = g.positions(), window = g.window(), span = kKernel * g.channels;
  for_samples(count, positions * window, [&](Index i) {
    const Scalar* xs = x + i * g.height * g.width * g.channels;
    Scalar* row = cols + i * positions * window;
    for (Index oy = 0; oy < g.out_h; ++oy)
      for (Index ox = 0; ox < g.out_w; ++ox, row += window)
        for (Index ky = 0; ky < kKernel; ++ky) {
          const Scalar* src = xs + ((oy + ky) * g.width + ox) * g.channels;
          for (Index k = 0; k < span; ++k) row[ky * span + k] = src[k];
        }
  });
}

// Its transpose: sums each value of dcols back into the input it came from (dx overwritten).
void col2im(const ConvShape& g, const Scalar* dcols, Index count, Scalar* dx) {
  const Index positions = g.positions(), window = g.window(), span = kKernel * g.channels;
  for_samples(count, positions * window, [&](Index i) {
    Scalar* dxs = dx + i * g.height * g.width * g.channels;
    const Scalar* row = dcols + i * positions * window;
    std::fill_n(dxs, g.height * g.width * g.channels, Scalar(0));
    for (Index oy = 0; oy < g.out_h; ++oy)
      for (Index ox = 0; ox < g.out_w; ++ox, row += window)
        for (Index ky = 0; ky < kKernel; ++ky) {
          Scalar* dst = dxs + ((oy + ky) * g.width + ox) * g.channels;
          for (Index k = 0; k < span; ++k) dst[k] += row[ky * span + k];
        }
  });
}

Net make_net(const Config& c) {
  Net net;
  descent::Rng rng(1);
  for (const ConvShape& g : c.conv_shapes()) {
    ConvState s;
    s.g = g;
    const Index window = g.window(), f = g.filters;
    s.w.resize(window, f);
    glorot_uniform(s.w, window, kKernel * kKernel * f, rng);
    s.b = RowVector::Zero(f);
    s.dw.resize(window, f);
    s.db.resize(f);
    s.slot1 = s.slot2 = Matrix::Zero(window, f);
    s.bslot1 = s.bslot2 = RowVector::Zero(f);
    // Equal chunks of samples, each im2col buffer at most kColsChunk values (at least one sample).
    const Index per_sample = g.positions() * window, chunks = (c.batch * per_sample + kColsChunk - 1) / kColsChunk;
    s.chunk = (c.batch + chunks - 1) / chunks;
    s.cols.resize(s.chunk * g.positions(), window);
    s.z.resize(c.batch, g.positions() * f);
    s.dz.resize(c.batch, g.positions() * f);
    if (g.conv.pool) {
      s.pooled.resize(c.batch, g.outputs());
      s.argmax.resize(static_cast<std::size_t>(c.batch * g.outputs()));
    }
    if (!net.convs.empty()) s.dx.resize(c.batch, g.height * g.width * g.channels);
    net.convs.push_back(std::move(s));
  }
  if (c.convnet()) {
    net.dflat.resize(c.batch, c.widths.front());
    if (c.dropout > 0) net.mask.resize(c.batch, c.widths.front()), net.dropped.resize(c.batch, c.widths.front());
  }
  for (std::size_t i = 1; i < c.widths.size(); ++i) {
    const Index in = c.widths[i - 1], out = c.widths[i];
    DenseState s;
    s.w.resize(in, out);
    glorot_uniform(s.w, in, out, rng);
    s.b = RowVector::Zero(out);
    s.dw.resize(in, out);
    s.db.resize(out);
    s.slot1 = s.slot2 = Matrix::Zero(in, out);
    s.bslot1 = s.bslot2 = RowVector::Zero(out);
    s.z.resize(c.batch, out);
    s.dz.resize(c.batch, out);
    net.layers.push_back(std::move(s));
  }
  net.x.resize(c.batch, c.inputs());
  net.y.resize(c.batch, c.widths.back());
  return net;
}

// The convolutions forward (and dropout in training); returns the flattened input of the first dense layer.
const Matrix& conv_forward(const Config& c, Net& net, bool training) {
  const Index n = net.x.rows();
  const Scalar* in = net.x.data();
  for (ConvState& s : net.convs) {
    const ConvShape& g = s.g;
    const Index positions = g.positions(), window = g.window(), f = g.filters;
    for (Index first = 0; first < n; first += s.chunk) {
      const Index count = std::min(s.chunk, n - first);
      im2col(g, in + first * g.height * g.width * g.channels, count, s.cols.data());
      Scalar* z = s.z.data() + first * positions * f;
      descent::gemm(descent::view(s.cols, count * positions, window), false, descent::view(s.w), false,
                    {z, count * positions, f, f});
      // Bias and relu while the chunk's output is in cache.
      for_samples(count, positions * f, [&](Index i) {
        Eigen::Map<Matrix> zi(z + i * positions * f, positions, f);
        zi.array() = (zi.array().rowwise() + s.b.array()).max(Scalar(0));
      });
    }
    if (g.conv.pool) {
      // 2 x 2 windows, stride 2; the first of equal values wins, as in Descent and TensorFlow.
      for_samples(n, positions * f, [&](Index i) {
        const Scalar* zs = s.z.data() + i * positions * f;
        Scalar* out = s.pooled.data() + i * g.outputs();
        std::int32_t* from = s.argmax.data() + i * g.outputs();
        for (Index py = 0; py < g.pool_h; ++py)
          for (Index px = 0; px < g.pool_w; ++px, out += f, from += f) {
            const Index at[4] = {((2 * py) * g.out_w + 2 * px) * f, ((2 * py) * g.out_w + 2 * px + 1) * f,
                                 ((2 * py + 1) * g.out_w + 2 * px) * f, ((2 * py + 1) * g.out_w + 2 * px + 1) * f};
            for (Index k = 0; k < f; ++k) {
              Scalar best = zs[at[0] + k];
              std::int32_t where = static_cast<std::int32_t>(at[0] + k);
              for (int t = 1; t < 4; ++t)
                if (zs[at[t] + k] > best) best = zs[at[t] + k], where = static_cast<std::int32_t>(at[t] + k);
              out[k] = best;
              from[k] = where;
            }
          }
      });
    }
    in = s.output().data();
  }
  const Matrix& flat = net.convs.back().output();
  if (!training || c.dropout == 0) return flat;
  // Dropout: one draw per value from the generator Descent's Dropout uses, inverted scaling.
  const Scalar kept = static_cast<Scalar>(1.0 / (1.0 - c.dropout));
  for (Index k = 0; k < net.mask.size(); ++k)
    net.mask.data()[k] = descent::uniform01(net.dropout_rng) < c.dropout ? Scalar(0) : kept;
  net.dropped.array() = flat.array() * net.mask.array();
  return net.dropped;
}

// Returns the batch's summed loss; leaves dL/dlogits (batch mean included) in the last layer's dz.
double forward_loss(const Config& c, Net& net, bool training) {
  net.flat = c.convnet() ? &conv_forward(c, net, training) : &net.x;
  const Matrix* h = net.flat;
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

// The optimizer's step on one layer's weights (a DenseState or a ConvState: the same members).
template <class State>
void update(const Config& c, long step, State& s) {
  const Scalar lr = static_cast<Scalar>(c.learning_rate());
  const Scalar momentum = static_cast<Scalar>(c.momentum());
  const double b1 = 0.9, b2 = 0.999;
  if (c.optimizer == "adam") {
    const Scalar adam_lr =
        static_cast<Scalar>(c.learning_rate() * std::sqrt(1 - std::pow(b2, step)) / (1 - std::pow(b1, step)));
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

// The convolutions backward from net.dflat (dL/d(the flattened output), dropout's mask not yet applied), with their
// updates.
void conv_backward_update(const Config& c, Net& net) {
  const Index n = net.x.rows();
  if (c.dropout > 0) net.dflat.array() *= net.mask.array();
  const Matrix* dy = &net.dflat;  // dL/d(this convolution's output)
  for (std::size_t l = net.convs.size(); l-- > 0;) {
    ConvState& s = net.convs[l];
    const ConvShape& g = s.g;
    const Index positions = g.positions(), window = g.window(), f = g.filters;
    if (g.conv.pool) {
      // The pool's gradient goes to the value each window took, times relu's mask there: one sweep writes dz.
      for_samples(n, positions * f, [&](Index i) {
        Scalar* dz = s.dz.data() + i * positions * f;
        const Scalar* z = s.z.data() + i * positions * f;
        const Scalar* d = dy->data() + i * g.outputs();
        const std::int32_t* from = s.argmax.data() + i * g.outputs();
        std::fill_n(dz, positions * f, Scalar(0));
        for (Index k = 0; k < g.outputs(); ++k)
          if (z[from[k]] > Scalar(0)) dz[from[k]] = d[k];
      });
    } else {
      for_samples(n, positions * f, [&](Index i) {
        const Index first = i * positions * f;
        for (Index k = first; k < first + positions * f; ++k)
          s.dz.data()[k] = s.z.data()[k] > Scalar(0) ? dy->data()[k] : Scalar(0);
      });
    }
    const bool one_chunk = s.chunk >= n;  // then cols still holds forward's columns
    for (Index first = 0; first < n; first += s.chunk) {
      const Index count = std::min(s.chunk, n - first);
      const Scalar* in = l == 0 ? net.x.data() : net.convs[l - 1].output().data();
      if (!one_chunk) im2col(g, in + first * g.height * g.width * g.channels, count, s.cols.data());
      const descent::ConstMatrixView cols = descent::view(s.cols, count * positions, window);
      const descent::ConstMatrixView dz{s.dz.data() + first * positions * f, count * positions, f, f};
      descent::gemm(cols, true, dz, false, descent::view(s.dw), first > 0);
      if (l > 0) {
        descent::gemm(dz, false, descent::view(s.w), true, descent::view(s.cols, count * positions, window));
        col2im(g, s.cols.data(), count, s.dx.data() + first * g.height * g.width * g.channels);
      }
    }
    s.db = Eigen::Map<const Matrix>(s.dz.data(), n * positions, f).colwise().sum();
    if (l > 0) dy = &s.dx;
    update(c, net.step, s);
  }
}

void backward_update(const Config& c, Net& net) {
  ++net.step;
  for (std::size_t l = net.layers.size(); l-- > 0;) {
    DenseState& s = net.layers[l];
    const Matrix& input = l == 0 ? *net.flat : net.layers[l - 1].z;
    descent::matmul_transpose_a(input, s.dz, s.dw);
    s.db = s.dz.colwise().sum();
    if (l > 0) {
      Matrix& below = net.layers[l - 1].dz;
      descent::matmul_transpose_b(s.dz, s.w, below);
      below = (input.array() > Scalar(0)).select(below, Scalar(0));
    } else if (c.convnet()) {
      descent::matmul_transpose_b(s.dz, s.w, net.dflat);
    }
    update(c, net.step, s);
  }
  if (c.convnet()) conv_backward_update(c, net);
}

}  // namespace

double speed_of_light_epoch(const Config& c, const descent::Dataset& d, int epoch) {
  if (!c.has_loop())
    throw descent::Error(c.name + ": the speed-of-light loop implements only MLPs and convnets of 3 x 3 \"valid\" "
                                  "Conv2D");
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
