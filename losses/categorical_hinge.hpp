// CategoricalHinge: max(neg - pos + 1, 0) per sample, pos = sum(y_true y_pred), neg = max((1 - y_true) y_pred).
#pragma once

#include "loss.hpp"

namespace descent::losses {

/// For one-hot targets: the margin between the true class's score and the best wrong one. Not averaged over
/// outputs (one value per sample). Gradient, where the hinge is active: -y_true, plus 1 - y_true_k at the
/// maximizing wrong class k (the first one on ties).
class CategoricalHinge : public Loss {
 public:
  std::string class_name() const override { return "CategoricalHinge"; }
  std::string name() const override { return "categorical_hinge"; }
  double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const override;
  void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const override;
  void check_targets(const Matrix& y_true, Index outputs, const std::string& where) const override;
};

}  // namespace descent::losses
