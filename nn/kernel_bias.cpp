#include "kernel_bias.hpp"

#include <nlohmann/json.hpp>

namespace descent::nn {

std::shared_ptr<Regularizer> KernelBias::optional_regularizer(const std::optional<RegularizerId>& id) {
  return id ? get_regularizer(*id) : nullptr;
}

std::shared_ptr<Constraint> KernelBias::optional_constraint(const std::optional<ConstraintId>& id) {
  return id ? get_constraint(*id) : nullptr;
}

InitializerId KernelBias::read_initializer(ConfigReader& r, const char* key, const char* fallback) {
  const json* v = r.find(key);
  if (!v) return fallback;
  return initializer_from_json(*v, r.path(key));
}

void KernelBias::read_regularizer(ConfigReader& r, const char* key, std::optional<RegularizerId>& out) {
  if (const json* v = r.find(key)) out = regularizer_from_json(*v, r.path(key));
}

void KernelBias::read_constraint(ConfigReader& r, const char* key, std::optional<ConstraintId>& out) {
  if (const json* v = r.find(key)) out = constraint_from_json(*v, r.path(key));
}

void KernelBias::write(json& config) const {
  auto or_null = [](const auto& p) { return p ? serialize(*p) : json(); };
  config[kernel_ + "_initializer"] = serialize(*kernel_initializer_);
  config["bias_initializer"] = serialize(*bias_initializer_);
  config[kernel_ + "_regularizer"] = or_null(kernel_regularizer_);
  config["bias_regularizer"] = or_null(bias_regularizer_);
  config["activity_regularizer"] = or_null(activity_regularizer_);
  config[kernel_ + "_constraint"] = or_null(kernel_constraint_);
  config["bias_constraint"] = or_null(bias_constraint_);
}

void KernelBias::initialize(Param& kernel, Param* bias, Rng& rng) const {
  kernel_initializer_->fill(kernel.value, kernel.shape, rng);
  if (bias) bias_initializer_->fill(bias->value, bias->shape, rng);
}

double KernelBias::penalty(const Param& kernel, const Param* bias, bool trainable, double activity_penalty) const {
  double penalty = activity_regularizer_ ? activity_penalty : 0.0;
  if (!trainable) return penalty;
  if (kernel_regularizer_) penalty += kernel_regularizer_->value(kernel.value);
  if (bias_regularizer_ && bias) penalty += bias_regularizer_->value(bias->value);
  return penalty;
}

void KernelBias::add_penalty_gradients(Param& kernel, Param* bias) const {
  if (kernel_regularizer_) kernel_regularizer_->add_gradient(kernel.value, kernel.grad);
  if (bias_regularizer_ && bias) bias_regularizer_->add_gradient(bias->value, bias->grad);
}

void KernelBias::apply_constraints(Param& kernel, Param* bias) const {
  if (kernel_constraint_) kernel_constraint_->apply(kernel.value, kernel.shape);
  if (bias_constraint_ && bias) bias_constraint_->apply(bias->value, bias->shape);
}

}  // namespace descent::nn
