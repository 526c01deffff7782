// Softmax: the axis resolved against the sample's shape at build, forward and backward over strided groups.
#include "softmax.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace descent::nn {

namespace {

// One group: n values `inner` apart.
using Group = Eigen::Map<Vector, 0, Eigen::InnerStride<>>;
using ConstGroup = Eigen::Map<const Vector, 0, Eigen::InnerStride<>>;

std::string axes_text(const std::vector<int>& axes) {
  std::string text;
  for (int a : axes) text += (text.empty() ? "" : ", ") + std::to_string(a);
  return axes.size() == 1 ? text : "[" + text + "]";
}

}  // namespace

Softmax::Softmax(SoftmaxOptions options) : options_(std::move(options)) {
  check(!options_.axis.empty(), "Softmax: expected at least one axis; received axis=[].");
  name_ = options_.name;
}

// Keras's axis a counts the batch as 0: sample axis a - 1 for a > 0, rank + a for a < 0.
void Softmax::build_weights(const Shape& input_shape, Rng&) {
  const int rank = static_cast<int>(input_shape.rank());
  std::vector<int> axes;
  for (int a : options_.axis) {
    const int sample_axis = a > 0 ? a - 1 : rank + a;
    if (a == 0 || sample_axis < 0 || sample_axis >= rank)
      fail(str(where(), ": axis=", axes_text(options_.axis), " does not name an axis of samples of shape ",
               input_shape, ". Expected axes from 1 to ", rank, " or from -", rank,
               " to -1 (axis 0, the batch, is not supported)."));
    axes.push_back(sample_axis);
  }
  std::sort(axes.begin(), axes.end());
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  if (axes.back() - axes.front() + 1 != static_cast<int>(axes.size()))
    fail(str(where(), ": axis=", axes_text(options_.axis), " names axes that are not adjacent, which is not ",
             "supported. Expected one axis or a run of adjacent axes."));
  outer_ = n_ = inner_ = 1;
  for (int a = 0; a < rank; ++a)
    (a < axes.front() ? outer_ : a <= axes.back() ? n_ : inner_) *= input_shape[static_cast<std::size_t>(a)];
}

const Matrix& Softmax::forward(const Matrix& x, bool) {
  if (n_ == 0) fail(str(where(), ": used before build()."));
  check_input(x);
  x_ = &x;
  y_.resize(x.rows(), x.cols());
  for (Index i = 0; i < x.rows(); ++i)
    for (Index o = 0; o < outer_; ++o)
      for (Index j = 0; j < inner_; ++j) {
        const Index start = o * n_ * inner_ + j;
        ConstGroup in(x.data() + i * x.cols() + start, n_, Eigen::InnerStride<>(inner_));
        Group out(y_.data() + i * y_.cols() + start, n_, Eigen::InnerStride<>(inner_));
        out.array() = (in.array() - in.maxCoeff()).exp();
        out /= out.sum();
      }
  return y_;
}

const Matrix& Softmax::backward(const Matrix& dy) {
  if (x_ == nullptr || dy.rows() != y_.rows() || dy.cols() != y_.cols())
    fail(str(where(), ": backward expected dy of ", y_.rows(), " x ", y_.cols(), "; received ", dy.rows(), " x ",
             dy.cols(), "."));
  if (!input_gradient_needed_) return none_;
  dx_.resize(dy.rows(), dy.cols());
  for (Index i = 0; i < dy.rows(); ++i)
    for (Index o = 0; o < outer_; ++o)
      for (Index j = 0; j < inner_; ++j) {
        const Index start = o * n_ * inner_ + j;
        ConstGroup y(y_.data() + i * y_.cols() + start, n_, Eigen::InnerStride<>(inner_));
        ConstGroup g(dy.data() + i * dy.cols() + start, n_, Eigen::InnerStride<>(inner_));
        Group d(dx_.data() + i * dx_.cols() + start, n_, Eigen::InnerStride<>(inner_));
        d.array() = y.array() * (g.array() - g.dot(y));
      }
  return dx_;
}

std::string Softmax::final_activation() const { return outer_ == 1 && inner_ == 1 ? "softmax" : ""; }

const Matrix& Softmax::logits() const {
  if (x_ == nullptr || final_activation().empty()) return Layer::logits();
  return *x_;
}

json Softmax::config() const {
  return {{"name", name_},
          {"axis", options_.axis.size() == 1 ? json(options_.axis.front()) : json(options_.axis)}};
}

std::unique_ptr<Layer> Softmax::from_config(ConfigReader& r) {
  SoftmaxOptions o;
  if (const json* v = r.find("axis")) {
    const json axes = v->is_array() ? *v : json::array({*v});
    o.axis.clear();
    for (const json& a : axes) {
      check_at(a.is_number_integer() && a.get<long long>() >= -64 && a.get<long long>() <= 64, r.path("axis"),
               "expected an axis or a list of axes (integers, -1 the last); received ", v->dump(), ".");
      o.axis.push_back(static_cast<int>(a.get<long long>()));
    }
  }
  o.name = read_common(r);
  r.finish();
  return std::make_unique<Softmax>(o);
}

}  // namespace descent::nn
