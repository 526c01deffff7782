// CategoricalCrossentropy: -sum_k y_k log p_k with one-hot (or soft) targets.
#pragma once

#include "loss.hpp"

#include <descent/core/config.hpp>

namespace descent::losses {

struct CategoricalCrossentropyOptions {
  bool from_logits = false;      ///< y_pred are logits, not probabilities
  double label_smoothing = 0.0;  ///< y becomes y (1 - s) + s / classes

  /// The Keras config keys, for from_config and config().
  DESCENT_FIELDS(from_logits, label_smoothing);
};

/// From probabilities: p = y_pred / sum(y_pred), clipped to [1e-7, 1 - 1e-7]. From logits: logsumexp(z) - <y, z>
/// per unit of target mass, with gradient softmax(z) sum(y) - y.
class CategoricalCrossentropy : public Loss {
 public:
  explicit CategoricalCrossentropy(CategoricalCrossentropyOptions options = {});

  std::string class_name() const override { return "CategoricalCrossentropy"; }
  std::string name() const override { return "categorical_crossentropy"; }
  double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const override;
  void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const override;
  void check_targets(const Matrix& y_true, Index outputs, const std::string& where) const override;
  std::string fusable_activation() const override { return options_.from_logits ? "" : "softmax"; }
  std::unique_ptr<Loss> logits_form() const override;
  nlohmann::json config() const override;
  const CategoricalCrossentropyOptions& options() const { return options_; }

 private:
  CategoricalCrossentropyOptions options_;
};

}  // namespace descent::losses
