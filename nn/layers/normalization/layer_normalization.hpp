// LayerNormalization: normalizes each sample over its features (keras.layers.LayerNormalization, Ba et al. 2016).
#pragma once

#include <descent/nn/layer.hpp>
#include "scale_offset.hpp"

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
class LayerNormalization : public Layer {
 public:
  explicit LayerNormalization(LayerNormalizationOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "LayerNormalization"; }
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  std::vector<Param*> params() override { return affine_.params(); }
  nlohmann::json config() const override;
  double regularization_loss() const override { return trainable_ ? affine_.penalty() : 0.0; }
  void apply_constraints() override { affine_.apply_constraints(); }

  const LayerNormalizationOptions& options() const { return options_; }
  Param& gamma() { return affine_.gamma(); }
  Param& beta() { return affine_.beta(); }

 protected:
  void build_weights(const Shape& input_shape, Rng& rng) override;

 private:
  LayerNormalizationOptions options_;
  ScaleOffset affine_;
  Vector mean_, inv_std_;               // n x 1: each sample's statistics in the last forward
  Vector mean_dxhat_, mean_dxhat_xhat_;  // n x 1: backward's row means
  Matrix xhat_, y_, dxhat_, dx_, none_;  // none_ stays empty: backward's result when no input gradient is needed
};

}  // namespace descent::nn
