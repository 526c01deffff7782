// Dense: y = activation(x W + b), W of shape (input_dim, units) as in Keras.
#pragma once

#include <descent/nn/activations.hpp>
#include <descent/nn/constraints.hpp>
#include <descent/nn/kernel_bias.hpp>
#include <descent/nn/initializers.hpp>
#include <descent/nn/layer.hpp>
#include <descent/nn/regularizers.hpp>

#include <memory>
#include <optional>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras Dense keyword arguments, with Keras's defaults. Field order is API: only append.
struct DenseOptions {
  std::string activation = "linear";
  bool use_bias = true;
  InitializerId kernel_initializer = "glorot_uniform";
  InitializerId bias_initializer = "zeros";
  std::string name;
  Index input_dim = 0;  ///< optional: declares the model input width, as Keras's input_dim
  std::optional<RegularizerId> kernel_regularizer;
  std::optional<RegularizerId> bias_regularizer;
  std::optional<RegularizerId> activity_regularizer;  ///< on the layer's output, after the activation
  std::optional<ConstraintId> kernel_constraint;
  std::optional<ConstraintId> bias_constraint;
};

class Dense : public Layer {
 public:
  explicit Dense(Index units, DenseOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "Dense"; }
  Shape declared_input_shape() const override;
  /// Keras's Dense maps the last axis: (..., in) -> (..., units).
  Shape compute_output_shape(const Shape& input_shape) const override;
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  std::vector<Param*> params() override;
  nlohmann::json config() const override;
  double regularization_loss() const override;
  void apply_constraints() override;

  std::string final_activation() const override;
  const Matrix& logits() const override { return z_; }
  const Matrix& backward_from_logits(const Matrix& dz) override;

  Index units() const { return units_; }
  const DenseOptions& options() const { return options_; }
  Param& kernel() { return kernel_; }
  Param& bias() { return bias_; }

 protected:
  void build_weights(const Shape& input_shape, Rng& rng) override;

 private:
  Index units_;
  DenseOptions options_;
  std::shared_ptr<const ActivationFunction> activation_;
  Param kernel_{"kernel"};
  Param bias_{"bias"};
  const Matrix& output() const { return activation_->is_identity() || activation_->in_place() ? z_ : a_; }
  const Matrix& backward_linear(const Matrix& dz);
  Param* bias_or_null() { return options_.use_bias ? &bias_ : nullptr; }
  const Param* bias_or_null() const { return options_.use_bias ? &bias_ : nullptr; }

  KernelBias kernel_bias_;
  double activity_penalty_ = 0.0;  // of the last forward
  const Matrix* x_ = nullptr;      // input of the last forward, owned by the previous layer or the model
  // z_: the pre-activation, overwritten by the activation when it works in place, and by dL/dz in backward.
  Matrix z_, a_, dx_;
  Matrix dy_;  // dy plus the activity penalty's gradient
};

}  // namespace descent::nn
