// SparseCategoricalCrossentropy: categorical cross-entropy with integer labels (samples x 1).
#pragma once

#include "loss.hpp"

#include <descent/core/config.hpp>

namespace descent::losses {

struct SparseCategoricalCrossentropyOptions {
  bool from_logits = false;  ///< y_pred are logits, not probabilities

  /// The Keras config keys, for from_config and config().
  DESCENT_FIELDS(from_logits);
};

/// -log(q_label / sum q) with q = clip(y_pred, 1e-7, 1 - 1e-7), as Keras feeds log(q) to the sparse softmax
/// cross-entropy; from logits, logsumexp(z) - z_label.
class SparseCategoricalCrossentropy : public Loss {
 public:
  explicit SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions options = {});

  std::string class_name() const override { return "SparseCategoricalCrossentropy"; }
  std::string name() const override { return "sparse_categorical_crossentropy"; }
  double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const override;
  void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const override;
  Index target_columns(Index) const override { return 1; }
  void check_targets(const Matrix& y_true, Index outputs, const std::string& where) const override;
  std::string fusable_activation() const override { return options_.from_logits ? "" : "softmax"; }
  std::unique_ptr<Loss> logits_form() const override;
  nlohmann::json config() const override;
  const SparseCategoricalCrossentropyOptions& options() const { return options_; }

 private:
  Index label(const Matrix& y_true, Index row, Index classes) const;
  SparseCategoricalCrossentropyOptions options_;
};

}  // namespace descent::losses
