// KLDivergence: sum over outputs of y_true log(y_true / y_pred), both clipped to [1e-7, 1].
#pragma once

#include "loss.hpp"

namespace descent::losses {

/// Summed (not averaged) over the outputs, as Keras's kl_divergence. Gradient -y_true / y_pred inside the clip
/// range, 0 outside it.
class KLDivergence : public Loss {
 public:
  std::string class_name() const override { return "KLDivergence"; }
  std::string name() const override { return "kl_divergence"; }
  double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const override;
  void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const override;
  void check_targets(const Matrix& y_true, Index outputs, const std::string& where) const override;
};

}  // namespace descent::losses
