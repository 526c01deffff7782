// Merge: the base of the layers that combine a list of tensors into one (Keras's keras.layers.Merge).
#pragma once

#include <descent/nn/layer.hpp>

#include <string>
#include <vector>

namespace descent::nn {

/// A layer called on a list of tensors, as layer({a, b}): Add, Concatenate, ... Only a graph (nn::Model) runs it, by
/// the list forms below; the one-tensor forward and backward are Errors.
class Merge : public Layer {
 public:
  bool takes_list() const override { return true; }

  /// The output sample shape for the inputs' sample shapes; incompatible shapes are an Error naming them all.
  virtual Shape compute_output_shape(const std::vector<Shape>& shapes) const = 0;
  using Layer::compute_output_shape;
  /// Checks and records the inputs' shapes (a merge has no weights).
  void build(const std::vector<Shape>& shapes);
  const std::vector<Shape>& input_shapes() const { return shapes_; }

  /// y = merge(xs): xs[k] holds a row per sample of input_shapes()[k].
  virtual const Matrix& forward(const std::vector<const Matrix*>& xs, bool training) = 0;
  /// dL/dx_k for each input of the last forward, given dL/dy; buffers the layer owns (some may be dy itself).
  virtual const std::vector<const Matrix*>& backward_list(const Matrix& dy) = 0;

  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  nlohmann::json config() const override;

 protected:
  /// Checks that xs match the built shapes and that dy matches the output (cheap: no string unless it fails).
  void check_inputs(const std::vector<const Matrix*>& xs) const;
  void check_gradient(const Matrix& dy, Index rows) const;
  /// "[(None, 3), (None, 4)]", as Keras lists a merge's input shapes in messages.
  static std::string shapes_text(const std::vector<Shape>& shapes);

  std::vector<Shape> shapes_;
  Shape output_shape_;
};

}  // namespace descent::nn
