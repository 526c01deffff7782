// Dot: each input is regathered so that a sample is a (rows, depth) matrix with the product's axis along the row;
// a sample's output is then A * B^T, and its gradients dY * B and dY^T * A, scattered back.
#include "dot.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <optional>

namespace descent::nn {

namespace {

// Keras's backend epsilon: normalize divides by max(|x|, 1e-7) (ops.normalize's rsqrt of max(sum x^2, eps^2)).
constexpr double kNormFloor = 1e-7;

using ConstMap = Eigen::Map<const Matrix>;
using Map = Eigen::Map<Matrix>;

std::string axes_text(const DotAxes& axes) {
  return axes.pair ? str("[", axes.first, ", ", axes.second, "]") : str(axes.first);
}

}  // namespace

Dot::Dot(DotAxes axes, DotOptions options) : axes_(axes), options_(std::move(options)) {
  name_ = options_.name;
  check(axes_.first != 0 && axes_.second != 0, where(), ": axes=", axes_text(axes_),
        " names axis 0, the batch axis; the product runs along an axis of the samples (1 the first, -1 the last).");
}

std::size_t Dot::sample_axis(int axis, int which, const std::vector<Shape>& shapes) const {
  const Shape& shape = shapes[static_cast<std::size_t>(which)];
  const int full = static_cast<int>(shape.rank()) + 1;  // with the batch axis, as Keras counts
  const int resolved = axis < 0 ? axis + full : axis;
  check(resolved != 0, where(), ": axes=", axes_text(axes_), " names the batch axis of input ", which + 1,
        ", of shape ", shape.batch_str(), "; received ", shapes_text(shapes), ".");
  check(resolved > 0 && resolved < full, where(), ": axes=", axes_text(axes_), " is out of range for input ", which + 1,
        ", of shape ", shape.batch_str(), ". Expected an axis from 1 to ", full - 1, " or from -", full - 1,
        " to -1; received ", shapes_text(shapes), ".");
  return static_cast<std::size_t>(resolved - 1);
}

Shape Dot::compute_output_shape(const std::vector<Shape>& shapes) const {
  check(shapes.size() == 2, where(), ": expects exactly 2 inputs; received ", shapes.size(), ": ", shapes_text(shapes),
        ".");
  const std::size_t a1 = sample_axis(axes_.first, 0, shapes), a2 = sample_axis(axes_.second, 1, shapes);
  check(shapes[0][a1] == shapes[1][a2], where(), ": the dot axes differ in size: axis ", a1 + 1, " of input 1 has ",
        shapes[0][a1], " values, axis ", a2 + 1, " of input 2 has ", shapes[1][a2], "; received ", shapes_text(shapes),
        ".");
  std::vector<Index> dims;
  for (std::size_t a = 0; a < shapes[0].rank(); ++a)
    if (a != a1) dims.push_back(shapes[0][a]);
  for (std::size_t a = 0; a < shapes[1].rank(); ++a)
    if (a != a2) dims.push_back(shapes[1][a]);
  if (dims.empty()) dims.push_back(1);  // (None,) would be the batch alone: Keras makes it (None, 1)
  return Shape(std::move(dims));
}

void Dot::prepare(Operand& op, const Shape& shape, std::size_t axis) {
  op.outer = op.inner = 1;
  for (std::size_t a = 0; a < shape.rank(); ++a)
    if (a < axis)
      op.outer *= shape[a];
    else if (a > axis)
      op.inner *= shape[a];
  op.depth = shape[axis];
  op.gather.clear();
  if (op.inner == 1) return;  // the axis is the last: the sample is already (outer, depth), row-major
  op.gather.reserve(static_cast<std::size_t>(shape.size()));
  for (Index o = 0; o < op.outer; ++o)
    for (Index in = 0; in < op.inner; ++in)
      for (Index k = 0; k < op.depth; ++k) op.gather.push_back((o * op.depth + k) * op.inner + in);
}

void Dot::to_form(Operand& op, const Matrix& x) {
  if (op.gather.empty()) {
    op.form = x;
  } else {
    op.form.resize(x.rows(), x.cols());
    for (Index i = 0; i < x.rows(); ++i)
      for (Index j = 0; j < x.cols(); ++j) op.form(i, j) = x(i, op.gather[static_cast<std::size_t>(j)]);
  }
  if (!options_.normalize) return;
  const Index rows = op.outer * op.inner;
  op.norm.resize(x.rows(), rows);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index p = 0; p < rows; ++p) {
      auto v = op.form.row(i).segment(p * op.depth, op.depth);
      const Scalar norm = static_cast<Scalar>(std::sqrt(static_cast<double>(v.squaredNorm())));
      op.norm(i, p) = norm;  // backward compares this same value with the floor
      v /= static_cast<Scalar>(std::max(static_cast<double>(norm), kNormFloor));
    }
}

const Matrix& Dot::forward(const std::vector<const Matrix*>& xs, bool) {
  check_inputs(xs);
  if (prepared_for_ != shapes_) {
    const std::size_t a1 = sample_axis(axes_.first, 0, shapes_), a2 = sample_axis(axes_.second, 1, shapes_);
    prepare(ops_[0], shapes_[0], a1);
    prepare(ops_[1], shapes_[1], a2);
    prepared_for_ = shapes_;
  }
  to_form(ops_[0], *xs[0]);
  to_form(ops_[1], *xs[1]);
  const Index n = xs[0]->rows(), depth = ops_[0].depth;
  const Index p = ops_[0].outer * ops_[0].inner, q = ops_[1].outer * ops_[1].inner;
  y_.resize(n, p * q);
  for (Index i = 0; i < n; ++i) {
    const ConstMap a(ops_[0].form.row(i).data(), p, depth), b(ops_[1].form.row(i).data(), q, depth);
    Map(y_.row(i).data(), p, q).noalias() = a * b.transpose();
  }
  return y_;
}

void Dot::from_form(Operand& op) {
  if (options_.normalize) {
    // u = v / max(|v|, eps): du/dv = (I - u u^T) / |v| above the floor, I / eps below it (the max is flat there).
    const Index rows = op.outer * op.inner;
    for (Index i = 0; i < op.dform.rows(); ++i)
      for (Index p = 0; p < rows; ++p) {
        auto g = op.dform.row(i).segment(p * op.depth, op.depth);
        const auto u = op.form.row(i).segment(p * op.depth, op.depth);
        const Scalar norm = op.norm(i, p);
        if (static_cast<double>(norm) > kNormFloor)
          g = (g - u * u.dot(g)) / norm;
        else
          g /= static_cast<Scalar>(kNormFloor);
      }
  }
  if (op.gather.empty()) return;
  for (Index i = 0; i < op.dform.rows(); ++i)
    for (Index j = 0; j < op.dform.cols(); ++j) op.dx(i, op.gather[static_cast<std::size_t>(j)]) = op.dform(i, j);
}

const std::vector<const Matrix*>& Dot::backward_list(const Matrix& dy) {
  check_gradient(dy, y_.rows());
  grads_.resize(2);
  const Index n = input_gradient_needed_ ? dy.rows() : 0;
  for (Operand& op : ops_) {
    op.dform.resize(n, op.form.cols());
    if (!op.gather.empty()) op.dx.resize(n, op.form.cols());
  }
  if (n > 0) {
    const Index depth = ops_[0].depth;
    const Index p = ops_[0].outer * ops_[0].inner, q = ops_[1].outer * ops_[1].inner;
    for (Index i = 0; i < n; ++i) {
      const ConstMap dyi(dy.row(i).data(), p, q);
      const ConstMap a(ops_[0].form.row(i).data(), p, depth), b(ops_[1].form.row(i).data(), q, depth);
      Map(ops_[0].dform.row(i).data(), p, depth).noalias() = dyi * b;
      Map(ops_[1].dform.row(i).data(), q, depth).noalias() = dyi.transpose() * a;
    }
    for (Operand& op : ops_) from_form(op);
  }
  for (std::size_t k = 0; k < 2; ++k) grads_[k] = ops_[k].gather.empty() ? &ops_[k].dform : &ops_[k].dx;
  return grads_;
}

nlohmann::json Dot::config() const {
  return {{"name", name_},
          {"axes", axes_.pair ? nlohmann::json::array({axes_.first, axes_.second}) : nlohmann::json(axes_.first)},
          {"normalize", options_.normalize}};
}

std::unique_ptr<Layer> Dot::from_config(ConfigReader& r) {
  const char* expected = "expected an axis or a list of two axes (integers, 1 the first of a sample, -1 the last)";
  std::optional<DotAxes> axes;
  const json* v = r.find("axes");
  if (v) {
    auto is_axis = [](const json& a) {
      return a.is_number_integer() && a.get<long long>() >= -64 && a.get<long long>() <= 64;
    };
    if (is_axis(*v))
      axes = DotAxes(v->get<int>());
    else if (v->is_array() && v->size() == 2 && is_axis((*v)[0]) && is_axis((*v)[1]))
      axes = DotAxes((*v)[0].get<int>(), (*v)[1].get<int>());
    check_at(axes.has_value(), r.path("axes"), expected, "; received ", v->dump(), ".");
  }
  DotOptions o;
  r.read("normalize", o.normalize);
  o.name = read_common(r);
  r.finish();  // a misspelled "axis" is reported as such, not as a missing "axes"
  check_at(axes.has_value(), r.path("axes"), expected, "; received nothing.");
  return std::make_unique<Dot>(*axes, std::move(o));
}

}  // namespace descent::nn
