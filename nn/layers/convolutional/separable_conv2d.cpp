#include "separable_conv2d.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

SeparableConv2D::SeparableConv2D(Index filters, Tuple kernel_size, SeparableConv2DOptions o)
    : depthwise_(std::move(kernel_size), {.strides = o.strides,
                                          .padding = o.padding,
                                          .depth_multiplier = o.depth_multiplier,
                                          .dilation_rate = o.dilation_rate,
                                          .use_bias = false,
                                          .depthwise_initializer = o.depthwise_initializer,
                                          .depthwise_regularizer = o.depthwise_regularizer,
                                          .depthwise_constraint = o.depthwise_constraint}),
      pointwise_(filters, 1, {.activation = o.activation,
                              .use_bias = o.use_bias,
                              .kernel_initializer = o.pointwise_initializer,
                              .bias_initializer = o.bias_initializer,
                              .kernel_regularizer = o.pointwise_regularizer,
                              .bias_regularizer = o.bias_regularizer,
                              .activity_regularizer = o.activity_regularizer,
                              .kernel_constraint = o.pointwise_constraint,
                              .bias_constraint = o.bias_constraint}) {
  pointwise_.kernel().name = "pointwise_kernel";
  name_ = o.name;
}

Shape SeparableConv2D::compute_output_shape(const Shape& input_shape) const {
  return pointwise_.compute_output_shape(depthwise_.compute_output_shape(input_shape));
}

void SeparableConv2D::build_weights(const Shape& input_shape, Rng& rng) {
  // The halves report errors as this layer.
  depthwise_.set_name(name_);
  pointwise_.set_name(name_);
  depthwise_.build(input_shape, rng);
  pointwise_.build(depthwise_.compute_output_shape(input_shape), rng);
}

const Matrix& SeparableConv2D::forward(const Matrix& x, bool training) {
  if (depthwise_.input_dim() == 0) fail(str(where(), ": used before build()."));
  depthwise_.set_input_gradient_needed(input_gradient_needed_);
  return pointwise_.forward(depthwise_.forward(x, training), training);
}

const Matrix& SeparableConv2D::backward(const Matrix& dy) { return depthwise_.backward(pointwise_.backward(dy)); }

const Matrix& SeparableConv2D::backward_from_logits(const Matrix& dlogits) {
  return depthwise_.backward(pointwise_.backward_from_logits(dlogits));
}

std::vector<Param*> SeparableConv2D::params() {
  std::vector<Param*> params = {&depthwise_.kernel()};
  for (Param* p : pointwise_.params()) params.push_back(p);
  return params;
}

double SeparableConv2D::regularization_loss() const {
  return depthwise_.regularization_loss() + pointwise_.regularization_loss();
}

void SeparableConv2D::apply_constraints() {
  depthwise_.apply_constraints();
  pointwise_.apply_constraints();
}

json SeparableConv2D::config() const {
  // The depthwise half's keys (kernel_size, strides, padding, dilation_rate, depth_multiplier, depthwise_*), then
  // the pointwise half's filters, activation, bias and activity keys, its kernel_* ones as pointwise_*.
  json config = depthwise_.config();
  const json pointwise = pointwise_.config();
  for (const auto& [key, value] : pointwise.items()) {
    if (key.rfind("kernel_", 0) == 0 && key != "kernel_size")
      config["pointwise_" + key.substr(7)] = value;
    else if (key == "filters" || key == "activation" || key == "use_bias" || key.rfind("bias_", 0) == 0 ||
             key == "activity_regularizer")
      config[key] = value;
  }
  config["name"] = name_;
  return config;
}

std::unique_ptr<Layer> SeparableConv2D::from_config(ConfigReader& r) {
  const Index filters = BaseConv::read_filters(r);
  Tuple kernel_size = 1;
  const ConvOptions d = BaseConv::read_options(r, "SeparableConv2D", 2, kernel_size, "depthwise");
  ConvOptions p;
  KernelBias::read(r, p, "pointwise");
  const Index depth_multiplier = DepthwiseConv2D::read_depth_multiplier(r);
  r.finish();
  return std::make_unique<SeparableConv2D>(filters, std::move(kernel_size),
                                           SeparableConv2DOptions{.strides = d.strides,
                                                                  .padding = d.padding,
                                                                  .dilation_rate = d.dilation_rate,
                                                                  .depth_multiplier = depth_multiplier,
                                                                  .activation = d.activation,
                                                                  .use_bias = d.use_bias,
                                                                  .depthwise_initializer = d.kernel_initializer,
                                                                  .pointwise_initializer = p.kernel_initializer,
                                                                  .bias_initializer = d.bias_initializer,
                                                                  .depthwise_regularizer = d.kernel_regularizer,
                                                                  .pointwise_regularizer = p.kernel_regularizer,
                                                                  .bias_regularizer = d.bias_regularizer,
                                                                  .activity_regularizer = d.activity_regularizer,
                                                                  .depthwise_constraint = d.kernel_constraint,
                                                                  .pointwise_constraint = p.kernel_constraint,
                                                                  .bias_constraint = d.bias_constraint,
                                                                  .name = d.name});
}

}  // namespace descent::nn
