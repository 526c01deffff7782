// LogCosh: mean over outputs of log(cosh(y_pred - y_true)); quadratic near 0, linear far away.
#pragma once

#include "loss.hpp"

namespace descent::losses {

/// Computed as |e| + log1p(exp(-2|e|)) - log 2, which never overflows; gradient tanh(e).
class LogCosh : public Loss {
 public:
  std::string class_name() const override { return "LogCosh"; }
  std::string name() const override { return "log_cosh"; }
  double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const override;
  void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const override;
};

}  // namespace descent::losses
