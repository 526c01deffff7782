// BinaryCrossentropy: -[y log p + (1 - y) log(1 - p)], averaged over outputs and samples.
#pragma once

#include "loss.hpp"

#include <descent/core/config.hpp>

namespace descent::losses {

struct BinaryCrossentropyOptions {
  bool from_logits = false;      ///< y_pred are logits, not probabilities
  double label_smoothing = 0.0;  ///< y becomes y (1 - s) + s / 2

  /// The Keras config keys, for from_config and config().
  DESCENT_FIELDS(from_logits, label_smoothing);
};

/// Probabilities are clipped to [1e-7, 1 - 1e-7], whose outside has zero gradient (Keras). From logits it uses
/// max(z, 0) - z y + log1p(exp(-|z|)), exact for any z, with gradient sigmoid(z) - y.
class BinaryCrossentropy : public Loss {
 public:
  explicit BinaryCrossentropy(BinaryCrossentropyOptions options = {});

  std::string class_name() const override { return "BinaryCrossentropy"; }
  std::string name() const override { return "binary_crossentropy"; }
  double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const override;
  void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const override;
  void check_targets(const Matrix& y_true, Index outputs, const std::string& where) const override;
  std::string fusable_activation() const override { return options_.from_logits ? "" : "sigmoid"; }
  std::unique_ptr<Loss> logits_form() const override;
  nlohmann::json config() const override;
  const BinaryCrossentropyOptions& options() const { return options_; }

 private:
  BinaryCrossentropyOptions options_;
};

}  // namespace descent::losses
