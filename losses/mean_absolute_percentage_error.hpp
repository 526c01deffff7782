// MeanAbsolutePercentageError: 100 * mean over outputs of |y_true - y_pred| / max(|y_true|, 1e-7).
#pragma once

#include "loss.hpp"

namespace descent::losses {

/// Gradient 100 sign(y_pred - y_true) / max(|y_true|, 1e-7). Zero targets give huge values, as in Keras.
class MeanAbsolutePercentageError : public Loss {
 public:
  std::string class_name() const override { return "MeanAbsolutePercentageError"; }
  std::string name() const override { return "mean_absolute_percentage_error"; }
  double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const override;
  void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const override;
};

}  // namespace descent::losses
