// MeanAbsoluteError: mean over outputs of |y_pred - y_true|.
#pragma once

#include "loss.hpp"

namespace descent::losses {

class MeanAbsoluteError : public Loss {
 public:
  std::string class_name() const override { return "MeanAbsoluteError"; }
  std::string name() const override { return "mean_absolute_error"; }
  double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const override;
  void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const override;
};

}  // namespace descent::losses
