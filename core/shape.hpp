// Shape: Keras's shape of one sample, without the batch axis: {30}, {28, 28, 1}, {timesteps, features}.
#pragma once

#include <Eigen/Core>

#include <initializer_list>
#include <iosfwd>
#include <string>
#include <vector>

namespace descent {

using Index = Eigen::Index;  // as core/tensor.hpp, which includes this header

/// The dimensions of one sample, outermost first (channels_last: {height, width, channels}). Between layers a batch
/// stays a row-major Matrix with one row per sample, the sample's values in this shape's row-major order, so that
/// an (N, H, W, C) batch is an N x H*W*C matrix and Flatten costs nothing. Weights carry their Keras shape too
/// (a Dense bias {units}, a Conv2D kernel {kh, kw, in, out}).
class Shape {
 public:
  Shape() = default;
  /// One dimension: Shape(30) is Keras's (30,), so that nn::Input(30) declares 30 features.
  Shape(Index features) : dims_{features} {}
  Shape(std::initializer_list<Index> dims) : dims_(dims) {}
  explicit Shape(std::vector<Index> dims) : dims_(std::move(dims)) {}

  std::size_t rank() const { return dims_.size(); }
  bool empty() const { return dims_.empty(); }
  Index operator[](std::size_t axis) const { return dims_[axis]; }
  Index& operator[](std::size_t axis) { return dims_[axis]; }
  /// The last dimension (features, channels), as Keras's shape[-1].
  Index back() const { return dims_.back(); }
  /// Values per sample: the product of the dimensions (1 for a scalar's empty shape).
  Index size() const;
  const std::vector<Index>& dims() const { return dims_; }
  /// Whether every dimension is positive.
  bool valid() const;

  /// "(30,)", "(28, 28, 1)": Python's tuple, as Keras prints shapes.
  std::string str() const;
  /// With Keras's batch axis first: "(None, 28, 28, 1)".
  std::string batch_str() const;

  friend bool operator==(const Shape&, const Shape&) = default;

 private:
  std::vector<Index> dims_;
};

/// Writes str(), so that check() formats a shape only when it fails.
std::ostream& operator<<(std::ostream& out, const Shape& shape);

}  // namespace descent
