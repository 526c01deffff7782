// Concatenate: a sample is `outer` runs of blocks, one block per input, so forward and backward are block copies.
#include "concatenate.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

Concatenate::Concatenate(ConcatenateOptions options) : options_(std::move(options)) {
  name_ = options_.name;
  check(options_.axis != 0, where(), ": axis 0 is the batch axis; samples cannot be concatenated.");
}

std::size_t Concatenate::sample_axis(std::size_t rank) const {
  const int full = static_cast<int>(rank) + 1;  // with the batch axis, as Keras counts
  const int axis = options_.axis < 0 ? options_.axis + full : options_.axis;
  check(axis >= 1 && axis < full, where(), ": axis ", options_.axis, " is out of range for inputs of rank ", full,
        " (with the batch axis).");
  return static_cast<std::size_t>(axis - 1);
}

Shape Concatenate::compute_output_shape(const std::vector<Shape>& shapes) const {
  check(!shapes.empty(), where(), ": expects a list of at least one input.");
  const std::size_t rank = shapes.front().rank();
  const std::size_t axis = sample_axis(rank);
  std::vector<Index> dims = shapes.front().dims();
  for (std::size_t k = 1; k < shapes.size(); ++k) {
    bool matches = shapes[k].rank() == rank;
    for (std::size_t a = 0; matches && a < rank; ++a) matches = a == axis || shapes[k][a] == dims[a];
    check(matches, where(), ": inputs must have equal shapes except along axis ", options_.axis, "; received ",
          shapes_text(shapes), ".");
    dims[axis] += shapes[k][axis];
  }
  return Shape(std::move(dims));
}

const Matrix& Concatenate::forward(const std::vector<const Matrix*>& xs, bool) {
  check_inputs(xs);
  if (blocks_.size() != xs.size()) {
    const std::size_t axis = sample_axis(shapes_.front().rank());
    outer_ = 1;
    for (std::size_t a = 0; a < axis; ++a) outer_ *= shapes_.front()[a];
    blocks_.clear();
    for (const Shape& s : shapes_) blocks_.push_back(s.size() / outer_);
    dx_.resize(xs.size());
    grads_.resize(xs.size());
  }
  const Index rows = xs.front()->rows();
  y_.resize(rows, output_shape_.size());
  for (Index i = 0; i < rows; ++i)
    for (Index o = 0, at = 0; o < outer_; ++o)
      for (std::size_t k = 0; k < xs.size(); ++k) {
        y_.row(i).segment(at, blocks_[k]) = xs[k]->row(i).segment(o * blocks_[k], blocks_[k]);
        at += blocks_[k];
      }
  return y_;
}

const std::vector<const Matrix*>& Concatenate::backward_list(const Matrix& dy) {
  check_gradient(dy, y_.rows());
  for (std::size_t k = 0; k < grads_.size(); ++k) {
    dx_[k].resize(input_gradient_needed_ ? dy.rows() : 0, shapes_[k].size());
    grads_[k] = &dx_[k];
  }
  if (!input_gradient_needed_) return grads_;
  for (Index i = 0; i < dy.rows(); ++i)
    for (Index o = 0, at = 0; o < outer_; ++o)
      for (std::size_t k = 0; k < grads_.size(); ++k) {
        dx_[k].row(i).segment(o * blocks_[k], blocks_[k]) = dy.row(i).segment(at, blocks_[k]);
        at += blocks_[k];
      }
  return grads_;
}

nlohmann::json Concatenate::config() const { return {{"name", name_}, {"axis", options_.axis}}; }

std::unique_ptr<Layer> Concatenate::from_config(ConfigReader& r) {
  ConcatenateOptions options{.name = read_common(r)};
  r.read("axis", options.axis);
  return std::make_unique<Concatenate>(std::move(options));
}

}  // namespace descent::nn
