// Activation functions by Keras name, each with its derivative for backpropagation.
#pragma once

#include <descent/core/tensor.hpp>

#include <memory>
#include <string>
#include <vector>

namespace descent::nn {

/// f applied element-wise (softmax: per row), and the chain rule through it.
class ActivationFunction {
 public:
  virtual ~ActivationFunction() = default;
  /// The Keras name: "relu", "sigmoid", ...
  virtual std::string name() const = 0;
  /// a = f(z); `a` is resized to z's shape.
  virtual void forward(const Matrix& z, Matrix& a) const = 0;
  /// z += bias (a 1 x cols row, when not null), then a = f(z): what a layer with a bias needs, in one pass where the
  /// activation can fuse the two.
  virtual void forward_biased(Matrix& z, const Matrix* bias, Matrix& a) const;
  /// dz = dL/dz from da = dL/da, given z and a = f(z) from the same forward pass. dz may be z itself (Dense
  /// overwrites z), so an element of dz may depend on z only through the same element.
  virtual void backward(const Matrix& z, const Matrix& a, const Matrix& da, Matrix& dz) const = 0;
  /// True only for "linear": lets layers skip the copy.
  virtual bool is_identity() const { return false; }
  /// True when f' depends on z only through z > 0, which a = f(z) shares (relu, leaky_relu): a layer may then write
  /// a over z, and pass a as z to backward, keeping one batch-sized buffer instead of two.
  virtual bool in_place() const { return false; }
};

/// The activation registered under `name` (Keras names; "swish" and "silu" are one); throws listing the valid names.
std::unique_ptr<ActivationFunction> get_activation(const std::string& name);

/// Every registered name, for messages and round-trip tests.
std::vector<std::string> activation_names();

}  // namespace descent::nn
