// The element-wise merges: Add, Subtract, Multiply, Average, Maximum, Minimum (keras.layers.*), with broadcasting.
#pragma once

#include "merge.hpp"

#include <memory>
#include <string>
#include <vector>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

struct MergeOptions {
  std::string name;
};

/// y = op(x_1, ..., x_K) value by value. Shapes broadcast as Keras's (NumPy's rule on the sample shapes, aligned at
/// the last axis: a dimension of 1, or a missing leading one, repeats), so (4, 3) merges with (1, 3) and with (3,).
class ElementwiseMerge : public Merge {
 public:
  Shape compute_output_shape(const std::vector<Shape>& shapes) const override;
  using Merge::forward;
  const Matrix& forward(const std::vector<const Matrix*>& xs, bool training) override;
  const std::vector<const Matrix*>& backward_list(const Matrix& dy) override;

 protected:
  explicit ElementwiseMerge(MergeOptions options) { name_ = std::move(options.name); }
  /// y = op(xs), every operand already of the output's shape.
  virtual void combine(const std::vector<const Matrix*>& xs, Matrix& y) const = 0;
  /// Sets grads[k] = dL/d(operand k) given dy, using d_ as buffers (or dy itself).
  virtual void distribute(const Matrix& dy, std::vector<const Matrix*>& grads) = 0;

  std::vector<const Matrix*> operands_;  // the inputs of the last forward, each broadcast to the output's shape
  Matrix y_;
  std::vector<Matrix> d_;  // gradient buffers for distribute

 private:
  std::vector<std::vector<Index>> maps_;  // per input: output value -> its value (empty: same shape)
  std::vector<Matrix> wide_;              // broadcast inputs
  std::vector<Matrix> dx_;                // their gradients, summed back
  std::vector<const Matrix*> grads_;
  Matrix none_;
};

/// keras.layers.Add: y = x_1 + ... + x_K.
class Add : public ElementwiseMerge {
 public:
  explicit Add(MergeOptions options = {}) : ElementwiseMerge(std::move(options)) {}
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "Add"; }

 protected:
  void combine(const std::vector<const Matrix*>& xs, Matrix& y) const override;
  void distribute(const Matrix& dy, std::vector<const Matrix*>& grads) override;
};

/// keras.layers.Subtract: y = x_1 - x_2, of exactly two inputs.
class Subtract : public ElementwiseMerge {
 public:
  explicit Subtract(MergeOptions options = {}) : ElementwiseMerge(std::move(options)) {}
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "Subtract"; }
  Shape compute_output_shape(const std::vector<Shape>& shapes) const override;
  using ElementwiseMerge::compute_output_shape;

 protected:
  void combine(const std::vector<const Matrix*>& xs, Matrix& y) const override;
  void distribute(const Matrix& dy, std::vector<const Matrix*>& grads) override;
};

/// keras.layers.Multiply: y = x_1 * ... * x_K, so dL/dx_k = dy times the product of the others.
class Multiply : public ElementwiseMerge {
 public:
  explicit Multiply(MergeOptions options = {}) : ElementwiseMerge(std::move(options)) {}
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "Multiply"; }

 protected:
  void combine(const std::vector<const Matrix*>& xs, Matrix& y) const override;
  void distribute(const Matrix& dy, std::vector<const Matrix*>& grads) override;
};

/// keras.layers.Average: y = (x_1 + ... + x_K) / K.
class Average : public ElementwiseMerge {
 public:
  explicit Average(MergeOptions options = {}) : ElementwiseMerge(std::move(options)) {}
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "Average"; }

 protected:
  void combine(const std::vector<const Matrix*>& xs, Matrix& y) const override;
  void distribute(const Matrix& dy, std::vector<const Matrix*>& grads) override;
};

/// keras.layers.Maximum and Minimum: y = max (min) of the x_k. The gradient goes to the first input holding the
/// extreme value, as TensorFlow's chain of pairwise maximum(a, b), whose gradient takes a where a >= b.
class Extremum : public ElementwiseMerge {
 protected:
  Extremum(MergeOptions options, bool max) : ElementwiseMerge(std::move(options)), max_(max) {}
  void combine(const std::vector<const Matrix*>& xs, Matrix& y) const override;
  void distribute(const Matrix& dy, std::vector<const Matrix*>& grads) override;

 private:
  bool max_;
};

class Maximum : public Extremum {
 public:
  explicit Maximum(MergeOptions options = {}) : Extremum(std::move(options), true) {}
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "Maximum"; }
};

class Minimum : public Extremum {
 public:
  explicit Minimum(MergeOptions options = {}) : Extremum(std::move(options), false) {}
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "Minimum"; }
};

}  // namespace descent::nn
