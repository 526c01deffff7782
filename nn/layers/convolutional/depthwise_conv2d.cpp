#include "depthwise_conv2d.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>

namespace descent::nn {
namespace {

Index positive(Index depth_multiplier) {
  check(depth_multiplier > 0, "DepthwiseConv2D: depth_multiplier=", depth_multiplier, " must be positive.");
  return depth_multiplier;
}

}  // namespace

DepthwiseConv2D::DepthwiseConv2D(Tuple kernel_size, Index depth_multiplier, ConvOptions options)
    : BaseConv(2, 0, std::move(kernel_size), std::move(options), positive(depth_multiplier)) {}

DepthwiseConv2D::DepthwiseConv2D(Tuple kernel_size, DepthwiseConv2DOptions o)
    : DepthwiseConv2D(std::move(kernel_size), o.depth_multiplier,
                      {.strides = std::move(o.strides),
                       .padding = std::move(o.padding),
                       .dilation_rate = std::move(o.dilation_rate),
                       .activation = std::move(o.activation),
                       .use_bias = o.use_bias,
                       .kernel_initializer = std::move(o.depthwise_initializer),
                       .bias_initializer = std::move(o.bias_initializer),
                       .kernel_regularizer = std::move(o.depthwise_regularizer),
                       .bias_regularizer = std::move(o.bias_regularizer),
                       .activity_regularizer = std::move(o.activity_regularizer),
                       .kernel_constraint = std::move(o.depthwise_constraint),
                       .bias_constraint = std::move(o.bias_constraint),
                       .name = std::move(o.name)}) {}

Index DepthwiseConv2D::read_depth_multiplier(ConfigReader& r) {
  long depth_multiplier = 1;
  r.read("depth_multiplier", depth_multiplier);
  check_at(depth_multiplier > 0, r.path("depth_multiplier"), "expected a positive integer; received ",
           depth_multiplier, ".");
  return depth_multiplier;
}

std::unique_ptr<Layer> DepthwiseConv2D::from_config(ConfigReader& r) {
  Tuple kernel_size = 1;
  ConvOptions options = read_options(r, "DepthwiseConv2D", 2, kernel_size, "depthwise");
  const Index depth_multiplier = read_depth_multiplier(r);
  r.finish();
  return std::make_unique<DepthwiseConv2D>(std::move(kernel_size), depth_multiplier, std::move(options));
}

}  // namespace descent::nn
