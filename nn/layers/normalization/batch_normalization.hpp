// BatchNormalization: normalizes each feature with the batch's statistics in training and moving averages at
// inference (keras.layers.BatchNormalization).
#pragma once

#include "normalization_layer.hpp"

#include <memory>
#include <optional>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras BatchNormalization keyword arguments, with Keras's defaults. Field order is API: only append.
struct BatchNormalizationOptions {
  int axis = -1;  ///< the feature axis; -1 (or 1) is the only one of (samples, features) inputs
  double momentum = 0.99;
  double epsilon = 0.001;
  bool center = true;  ///< learn beta
  bool scale = true;   ///< learn gamma
  InitializerId beta_initializer = "zeros";
  InitializerId gamma_initializer = "ones";
  InitializerId moving_mean_initializer = "zeros";
  InitializerId moving_variance_initializer = "ones";
  std::string name;
  std::optional<RegularizerId> beta_regularizer;
  std::optional<RegularizerId> gamma_regularizer;
  std::optional<ConstraintId> beta_constraint;
  std::optional<ConstraintId> gamma_constraint;
};

/// y = gamma * (x - mean) / sqrt(var + epsilon) + beta per feature (column).
///
/// Training (forward(x, true) on a trainable layer): mean and var are the batch's mean and biased variance, and the
/// moving statistics advance: moving = moving * momentum + batch * (1 - momentum), the variance biased too, as in
/// Keras 3. Inference (forward(x, false), or any forward of a frozen layer, as in Keras 3): mean and var are the
/// moving statistics, unchanged. Weights: gamma, beta (trainable, 1 x features; absent when scale / center is
/// false), then moving_mean, moving_variance (non-trainable).
class BatchNormalization : public NormalizationLayer {
 public:
  explicit BatchNormalization(BatchNormalizationOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "BatchNormalization"; }
  const Matrix& forward(const Matrix& x, bool training) override;
  /// Through the batch statistics after a training forward; through the fixed moving statistics otherwise.
  const Matrix& backward(const Matrix& dy) override;
  std::vector<Param*> non_trainable_params() override { return {&moving_mean_, &moving_variance_}; }
  nlohmann::json config() const override;

  const BatchNormalizationOptions& options() const { return options_; }
  Param& moving_mean() { return moving_mean_; }
  Param& moving_variance() { return moving_variance_; }

 protected:
  void build_weights(const Shape& input_shape, Rng& rng) override;

 private:
  BatchNormalizationOptions options_;
  Param moving_mean_{"moving_mean"};
  Param moving_variance_{"moving_variance"};
  bool batch_stats_ = false;  // whether the last forward normalized with the batch's statistics
  Matrix mean_, var_, inv_std_;  // 1 x features, of the last forward
  Matrix sum_dxhat_, sum_dxhat_xhat_;  // 1 x features, backward's column sums
};

}  // namespace descent::nn
