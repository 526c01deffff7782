// Hinge: mean over outputs of max(1 - y_true y_pred, 0), for labels -1/1 (0/1 labels are converted).
#pragma once

#include "loss.hpp"

namespace descent::losses {

/// Gradient -y where 1 - y p > 0, else 0. Labels that are all 0 or 1 in a batch become 2 y - 1, as in Keras.
class Hinge : public Loss {
 public:
  std::string class_name() const override { return "Hinge"; }
  std::string name() const override { return "hinge"; }
  double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const override;
  void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const override;
  void check_targets(const Matrix& y_true, Index outputs, const std::string& where) const override;
};

}  // namespace descent::losses
