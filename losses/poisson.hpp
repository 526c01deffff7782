// Poisson: mean over outputs of y_pred - y_true log(y_pred + 1e-7), for count targets and positive rates.
#pragma once

#include "loss.hpp"

namespace descent::losses {

/// Gradient 1 - y_true / (y_pred + 1e-7). y_pred must stay above -1e-7 (use an exponential or softplus output).
class Poisson : public Loss {
 public:
  std::string class_name() const override { return "Poisson"; }
  std::string name() const override { return "poisson"; }
  double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const override;
  void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const override;
  void check_targets(const Matrix& y_true, Index outputs, const std::string& where) const override;
};

}  // namespace descent::losses
