// LayerNormalization: normalizes each sample over its features (keras.layers.LayerNormalization, Ba et al. 2016).
#pragma once

#include "normalization_layer.hpp"

#include <memory>
#include <optional>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras LayerNormalization keyword arguments, with Keras 3's defaults (rms_scaling is not supported). Field order
/// is API: only append.
struct LayerNormalizationOptions {
  int axis = -1;  ///< the feature axis; -1 (or 1) is the only one of (samples, features) inputs
  double epsilon = 0.001;
  bool center = true;  ///< learn beta
  bool scale = true;   ///< learn gamma
  InitializerId beta_initializer = "zeros";
  InitializerId gamma_initializer = "ones";
  std::string name;
  std::optional<RegularizerId> beta_regularizer;
  std::optional<RegularizerId> gamma_regularizer;
  std::optional<ConstraintId> beta_constraint;
  std::optional<ConstraintId> gamma_constraint;
};

/// y = gamma * (x - mean) / sqrt(var + epsilon) + beta, with mean and (biased) var of each row, gamma and beta per
/// feature; the same in training and inference. Weights: gamma, beta (1 x features; absent when scale / center is
/// false).
class LayerNormalization : public NormalizationLayer {
 public:
  explicit LayerNormalization(LayerNormalizationOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "LayerNormalization"; }
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  nlohmann::json config() const override;

  const LayerNormalizationOptions& options() const { return options_; }

 protected:
  void build_weights(const Shape& input_shape, Rng& rng) override;

 private:
  LayerNormalizationOptions options_;
  Vector mean_, inv_std_;               // n x 1: each sample's statistics in the last forward
  Vector mean_dxhat_, mean_dxhat_xhat_;  // n x 1: backward's row means
};

}  // namespace descent::nn
