// ScaleOffset: the per-feature gamma and beta that BatchNormalization and LayerNormalization apply after normalizing.
#pragma once

#include <descent/nn/constraints.hpp>
#include <descent/nn/initializers.hpp>
#include <descent/nn/regularizers.hpp>
#include <descent/core/tensor.hpp>

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// What a normalization layer's options say about gamma and beta.
struct ScaleOffsetSpec {
  bool scale = true;   ///< has gamma
  bool center = true;  ///< has beta
  InitializerId gamma_initializer = "ones";
  InitializerId beta_initializer = "zeros";
  std::optional<RegularizerId> gamma_regularizer, beta_regularizer;
  std::optional<ConstraintId> gamma_constraint, beta_constraint;
};

/// y = gamma * xhat + beta per feature (column), gamma and beta of shape 1 x features, in Keras's weight order
/// gamma, beta; either may be absent (scale = false: gamma = 1; center = false: beta = 0).
class ScaleOffset {
 public:
  explicit ScaleOffset(const ScaleOffsetSpec& spec);

  void build(Index features, Rng& rng);
  bool built() const { return features_ > 0; }
  Index features() const { return features_; }
  bool scale() const { return gamma_.value.size() > 0; }
  bool center() const { return beta_.value.size() > 0; }

  /// y = gamma * xhat + beta, into y (resized to xhat's shape).
  void apply(const Matrix& xhat, Matrix& y) const;
  /// Sets gamma.grad = column sums of dy * xhat and beta.grad = column sums of dy, plus the penalties' gradients;
  /// dxhat = dy * gamma.
  void backward(const Matrix& xhat, const Eigen::Ref<const Matrix>& dy, Matrix& dxhat);

  /// gamma, beta (those present).
  std::vector<Param*> params();
  /// The gamma and beta regularizers' penalty on the current weights.
  double penalty() const;
  void apply_constraints();
  /// Adds center, scale and the gamma / beta initializer, regularizer and constraint keys to a layer config.
  void add_config(nlohmann::json& config) const;

  Param& gamma() { return gamma_; }
  Param& beta() { return beta_; }

 private:
  bool scale_, center_;
  std::shared_ptr<Initializer> gamma_initializer_, beta_initializer_;
  std::shared_ptr<Regularizer> gamma_regularizer_, beta_regularizer_;
  std::shared_ptr<Constraint> gamma_constraint_, beta_constraint_;
  Index features_ = 0;
  Param gamma_{"gamma"};
  Param beta_{"beta"};
};

/// Reads the keys ScaleOffset::add_config writes (absent keys keep Keras's defaults).
ScaleOffsetSpec read_scale_offset(ConfigReader& r);

/// The gamma / beta part of a normalization layer's options (its center, scale and gamma_ / beta_ fields, which the
/// options keep flat so that they read as Keras's keyword arguments).
template <class Options>
ScaleOffsetSpec scale_offset_spec(const Options& o) {
  return {o.scale, o.center, o.gamma_initializer, o.beta_initializer, o.gamma_regularizer, o.beta_regularizer,
          o.gamma_constraint, o.beta_constraint};
}

/// Copies a spec into those fields of a normalization layer's options.
template <class Options>
void set_scale_offset(Options& o, const ScaleOffsetSpec& s) {
  o.scale = s.scale;
  o.center = s.center;
  o.gamma_initializer = s.gamma_initializer;
  o.beta_initializer = s.beta_initializer;
  o.gamma_regularizer = s.gamma_regularizer;
  o.beta_regularizer = s.beta_regularizer;
  o.gamma_constraint = s.gamma_constraint;
  o.beta_constraint = s.beta_constraint;
}
/// Reads "axis" as Keras writes it: -1, or a list of one axis ([-1]; Keras 2 and TF.js write the last axis of the
/// batched input once built, [1] for (samples, features), [3] for images). Returns -1 when absent; throws for
/// anything but -1 or a positive axis; build checks that the axis is the last (the channels).
int read_feature_axis(ConfigReader& r);
/// Checks a constructor's axis: -1 or a positive axis of the batched input.
void check_feature_axis(int axis, const char* layer);

}  // namespace descent::nn
