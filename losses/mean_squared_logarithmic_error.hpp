// MeanSquaredLogarithmicError: mean over outputs of (log(max(y_pred, 1e-7) + 1) - log(max(y_true, 1e-7) + 1))^2.
#pragma once

#include "loss.hpp"

namespace descent::losses {

/// Values below 1e-7 count as 1e-7, as in Keras, so the gradient is 0 there; elsewhere it is
/// 2 (log(p + 1) - log(t + 1)) / (p + 1).
class MeanSquaredLogarithmicError : public Loss {
 public:
  std::string class_name() const override { return "MeanSquaredLogarithmicError"; }
  std::string name() const override { return "mean_squared_logarithmic_error"; }
  double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const override;
  void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const override;
  void check_targets(const Matrix& y_true, Index outputs, const std::string& where) const override;
};

}  // namespace descent::losses
