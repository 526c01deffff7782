// DepthwiseConv2D: each input channel convolved with its own depth_multiplier filters, kernel (kh, kw, channels,
// depth_multiplier); output channel c * depth_multiplier + m comes from input channel c.
#pragma once

#include "base_conv.hpp"

namespace descent::nn {

/// Keras DepthwiseConv2D keyword arguments after kernel_size, with Keras's defaults. Field order is API: only append.
struct DepthwiseConv2DOptions {
  Tuple strides = 1;
  std::string padding = "valid";  ///< "valid" or "same"
  Index depth_multiplier = 1;
  Tuple dilation_rate = 1;
  std::string activation = "linear";
  bool use_bias = true;
  InitializerId depthwise_initializer = "glorot_uniform";
  InitializerId bias_initializer = "zeros";
  std::optional<RegularizerId> depthwise_regularizer;
  std::optional<RegularizerId> bias_regularizer;
  std::optional<RegularizerId> activity_regularizer;
  std::optional<ConstraintId> depthwise_constraint;
  std::optional<ConstraintId> bias_constraint;
  std::string name;
};

/// The grouped convolution with one group per channel (BaseConv's depthwise mode): its kernel holds the values of
/// the grouped kernel (kh, kw, 1, channels * depth_multiplier) in the same order.
class DepthwiseConv2D : public BaseConv {
 public:
  explicit DepthwiseConv2D(Tuple kernel_size, DepthwiseConv2DOptions options = {});
  /// The same with the options as a convolution's: kernel_initializer for depthwise_initializer, and so on.
  DepthwiseConv2D(Tuple kernel_size, Index depth_multiplier, ConvOptions options);
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  /// "depth_multiplier", a positive integer, 1 when absent (SeparableConv2D's config has it too).
  static Index read_depth_multiplier(ConfigReader& r);
  std::string class_name() const override { return "DepthwiseConv2D"; }
};

}  // namespace descent::nn
