// MeanSquaredError: mean over outputs of (y_pred - y_true)^2.
#pragma once

#include "loss.hpp"

namespace descent::losses {

class MeanSquaredError : public Loss {
 public:
  std::string class_name() const override { return "MeanSquaredError"; }
  std::string name() const override { return "mean_squared_error"; }
  double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const override;
  void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const override;
};

}  // namespace descent::losses
