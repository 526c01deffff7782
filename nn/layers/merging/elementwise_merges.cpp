// The element-wise merges: broadcasting, then each one's value and gradient.
#include "elementwise_merges.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <algorithm>
#include <optional>

namespace descent::nn {

namespace {

// Keras's _compute_elemwise_op_output_shape: the shapes aligned at their last axis; a 1 gives way to the other
// dimension, and a missing leading dimension counts as 1. nullopt when two dimensions disagree.
std::optional<Shape> broadcast(const Shape& a, const Shape& b) {
  const Shape& longer = a.rank() >= b.rank() ? a : b;
  const Shape& shorter = a.rank() >= b.rank() ? b : a;
  std::vector<Index> dims = longer.dims();
  const std::size_t skip = longer.rank() - shorter.rank();
  for (std::size_t i = 0; i < shorter.rank(); ++i) {
    const Index x = longer[skip + i], y = shorter[i];
    if (x != y && x != 1 && y != 1) return std::nullopt;
    dims[skip + i] = x == 1 ? y : x;
  }
  return Shape(std::move(dims));
}

// For each value of a sample of shape `out`, the index of the value of a sample of shape `in` broadcast to it.
std::vector<Index> broadcast_map(const Shape& in, const Shape& out) {
  const std::size_t skip = out.rank() - in.rank();
  std::vector<Index> map(static_cast<std::size_t>(out.size()));
  std::vector<Index> at(out.rank(), 0);  // the output multi-index, counted row-major
  for (auto& target : map) {
    Index index = 0;
    for (std::size_t i = 0; i < in.rank(); ++i) index = index * in[i] + (in[i] == 1 ? 0 : at[skip + i]);
    target = index;
    for (std::size_t axis = out.rank(); axis-- > 0;) {
      if (++at[axis] < out[axis]) break;
      at[axis] = 0;
    }
  }
  return map;
}

template <class T>
std::unique_ptr<Layer> merge_from_config(ConfigReader& r) {
  std::string name = read_common(r);
  return std::make_unique<T>(MergeOptions{.name = name});
}

}  // namespace

Shape ElementwiseMerge::compute_output_shape(const std::vector<Shape>& shapes) const {
  check(!shapes.empty(), where(), ": expects a list of at least one input.");
  Shape out = shapes.front();
  for (std::size_t k = 1; k < shapes.size(); ++k) {
    const auto merged = broadcast(out, shapes[k]);
    check(merged.has_value(), where(), ": inputs have incompatible shapes ", shapes_text(shapes), ": ",
          shapes[k].batch_str(), " does not broadcast to ", out.batch_str(), ".");
    out = *merged;
  }
  return out;
}

const Matrix& ElementwiseMerge::forward(const std::vector<const Matrix*>& xs, bool) {
  check_inputs(xs);
  const std::size_t n = xs.size();
  if (maps_.size() != n) {  // first forward: which inputs broadcast
    maps_.resize(n);
    for (std::size_t k = 0; k < n; ++k)
      if (shapes_[k] != output_shape_) maps_[k] = broadcast_map(shapes_[k], output_shape_);
    wide_.resize(n);
    dx_.resize(n);
    d_.resize(n);
    grads_.resize(n);
  }
  operands_.resize(n);
  const Index rows = xs.front()->rows(), cols = output_shape_.size();
  for (std::size_t k = 0; k < n; ++k) {
    if (maps_[k].empty()) {
      operands_[k] = xs[k];
      continue;
    }
    wide_[k].resize(rows, cols);
    for (Index i = 0; i < rows; ++i)
      for (Index j = 0; j < cols; ++j) wide_[k](i, j) = (*xs[k])(i, maps_[k][static_cast<std::size_t>(j)]);
    operands_[k] = &wide_[k];
  }
  y_.resize(rows, cols);
  combine(operands_, y_);
  return y_;
}

const std::vector<const Matrix*>& ElementwiseMerge::backward_list(const Matrix& dy) {
  check_gradient(dy, y_.rows());
  if (!input_gradient_needed_) {
    std::fill(grads_.begin(), grads_.end(), &none_);
    return grads_;
  }
  distribute(dy, grads_);
  for (std::size_t k = 0; k < grads_.size(); ++k) {
    if (maps_[k].empty()) continue;
    // A broadcast value fed many outputs: its gradient is the sum of theirs.
    dx_[k].setZero(dy.rows(), shapes_[k].size());
    const Matrix& wide = *grads_[k];
    for (Index i = 0; i < dy.rows(); ++i)
      for (Index j = 0; j < dy.cols(); ++j) dx_[k](i, maps_[k][static_cast<std::size_t>(j)]) += wide(i, j);
    grads_[k] = &dx_[k];
  }
  return grads_;
}

void Add::combine(const std::vector<const Matrix*>& xs, Matrix& y) const {
  y = *xs.front();
  for (std::size_t k = 1; k < xs.size(); ++k) y += *xs[k];
}
void Add::distribute(const Matrix& dy, std::vector<const Matrix*>& grads) {
  std::fill(grads.begin(), grads.end(), &dy);
}

Shape Subtract::compute_output_shape(const std::vector<Shape>& shapes) const {
  check(shapes.size() == 2, where(), ": expects exactly 2 inputs; received ", shapes.size(), ".");
  return ElementwiseMerge::compute_output_shape(shapes);
}
void Subtract::combine(const std::vector<const Matrix*>& xs, Matrix& y) const { y = *xs[0] - *xs[1]; }
void Subtract::distribute(const Matrix& dy, std::vector<const Matrix*>& grads) {
  d_[1] = -dy;
  grads[0] = &dy;
  grads[1] = &d_[1];
}

void Multiply::combine(const std::vector<const Matrix*>& xs, Matrix& y) const {
  y = *xs.front();
  for (std::size_t k = 1; k < xs.size(); ++k) y.array() *= xs[k]->array();
}
void Multiply::distribute(const Matrix& dy, std::vector<const Matrix*>& grads) {
  // The product of the others, not y / x_k: an x_k of 0 still gets its gradient.
  for (std::size_t k = 0; k < grads.size(); ++k) {
    d_[k] = dy;
    for (std::size_t j = 0; j < operands_.size(); ++j)
      if (j != k) d_[k].array() *= operands_[j]->array();
    grads[k] = &d_[k];
  }
}

void Average::combine(const std::vector<const Matrix*>& xs, Matrix& y) const {
  y = *xs.front();
  for (std::size_t k = 1; k < xs.size(); ++k) y += *xs[k];
  y /= static_cast<Scalar>(xs.size());
}
void Average::distribute(const Matrix& dy, std::vector<const Matrix*>& grads) {
  d_[0] = dy / static_cast<Scalar>(grads.size());
  std::fill(grads.begin(), grads.end(), &d_[0]);
}

void Extremum::combine(const std::vector<const Matrix*>& xs, Matrix& y) const {
  y = *xs.front();
  for (std::size_t k = 1; k < xs.size(); ++k) {
    if (max_)
      y = y.cwiseMax(*xs[k]);
    else
      y = y.cwiseMin(*xs[k]);
  }
}
void Extremum::distribute(const Matrix& dy, std::vector<const Matrix*>& grads) {
  for (std::size_t k = 0; k < grads.size(); ++k) {
    d_[k].setZero(dy.rows(), dy.cols());
    grads[k] = &d_[k];
  }
  for (Index i = 0; i < dy.rows(); ++i)
    for (Index j = 0; j < dy.cols(); ++j)
      for (std::size_t k = 0; k < operands_.size(); ++k)
        if ((*operands_[k])(i, j) == y_(i, j)) {
          d_[k](i, j) = dy(i, j);
          break;
        }
}

std::unique_ptr<Layer> Add::from_config(ConfigReader& r) { return merge_from_config<Add>(r); }
std::unique_ptr<Layer> Subtract::from_config(ConfigReader& r) { return merge_from_config<Subtract>(r); }
std::unique_ptr<Layer> Multiply::from_config(ConfigReader& r) { return merge_from_config<Multiply>(r); }
std::unique_ptr<Layer> Average::from_config(ConfigReader& r) { return merge_from_config<Average>(r); }
std::unique_ptr<Layer> Maximum::from_config(ConfigReader& r) { return merge_from_config<Maximum>(r); }
std::unique_ptr<Layer> Minimum::from_config(ConfigReader& r) { return merge_from_config<Minimum>(r); }

}  // namespace descent::nn
