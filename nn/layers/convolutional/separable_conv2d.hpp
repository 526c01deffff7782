// SeparableConv2D: a depthwise convolution, then a 1 x 1 convolution mixing its channels into `filters`.
#pragma once

#include "conv2d.hpp"
#include "depthwise_conv2d.hpp"

namespace descent::nn {

/// Keras SeparableConv2D keyword arguments after filters and kernel_size, with Keras's defaults. Field order is API:
/// only append.
struct SeparableConv2DOptions {
  Tuple strides = 1;
  std::string padding = "valid";  ///< "valid" or "same"
  Tuple dilation_rate = 1;
  Index depth_multiplier = 1;
  std::string activation = "linear";
  bool use_bias = true;
  InitializerId depthwise_initializer = "glorot_uniform";
  InitializerId pointwise_initializer = "glorot_uniform";
  InitializerId bias_initializer = "zeros";
  std::optional<RegularizerId> depthwise_regularizer;
  std::optional<RegularizerId> pointwise_regularizer;
  std::optional<RegularizerId> bias_regularizer;
  std::optional<RegularizerId> activity_regularizer;
  std::optional<ConstraintId> depthwise_constraint;
  std::optional<ConstraintId> pointwise_constraint;
  std::optional<ConstraintId> bias_constraint;
  std::string name;
};

/// y = activation(pointwise(depthwise(x)) + b): the depthwise convolution (kernel (kh, kw, channels,
/// depth_multiplier), strides, padding and dilation, no bias), then a 1 x 1 convolution (kernel (1, 1, channels *
/// depth_multiplier, filters)) with the bias and the activation. Weights depthwise_kernel, pointwise_kernel, bias,
/// as Keras; the two convolutions are layers of their own inside, each doing its half of forward and backward.
class SeparableConv2D : public Layer {
 public:
  SeparableConv2D(Index filters, Tuple kernel_size, SeparableConv2DOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "SeparableConv2D"; }

  Shape compute_output_shape(const Shape& input_shape) const override;
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  std::vector<Param*> params() override;
  nlohmann::json config() const override;
  double regularization_loss() const override;
  void apply_constraints() override;
  std::string final_activation() const override { return pointwise_.final_activation(); }
  const Matrix& logits() const override { return pointwise_.logits(); }
  const Matrix& backward_from_logits(const Matrix& dlogits) override;

  DepthwiseConv2D& depthwise() { return depthwise_; }
  Conv2D& pointwise() { return pointwise_; }

 protected:
  void build_weights(const Shape& input_shape, Rng& rng) override;

 private:
  DepthwiseConv2D depthwise_;
  Conv2D pointwise_;
};

}  // namespace descent::nn
