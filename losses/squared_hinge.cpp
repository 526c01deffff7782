// Squared hinge loss (Keras 3 keras/src/losses/losses.py, squared_hinge).
#include "squared_hinge.hpp"

#include <descent/losses/detail/elementwise_math.hpp>
#include <descent/losses/detail/hinge_labels.hpp>

#include <algorithm>

namespace descent::losses {

double SquaredHinge::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  const bool zero_one = labels_are_zero_one(y_true);
  return sum_of_terms(y_true, y_pred, weights, static_cast<double>(y_pred.cols()), [zero_one](double t, Scalar p) {
    double margin = std::max(1.0 - hinge_label(static_cast<Scalar>(t), zero_one) * p, 0.0);
    return margin * margin;
  });
}

void SquaredHinge::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  const bool zero_one = labels_are_zero_one(y_true);
  gradient_of_terms(y_true, y_pred, static_cast<double>(y_pred.cols()), grad, [zero_one](double t, Scalar p) {
    double y = hinge_label(static_cast<Scalar>(t), zero_one);
    return -2.0 * y * std::max(1.0 - y * p, 0.0);
  });
}

void SquaredHinge::check_targets(const Matrix& y_true, Index outputs, const std::string& where) const {
  Loss::check_targets(y_true, outputs, where);
  check_hinge_labels(y_true, where, "squared_hinge");
}

}  // namespace descent::losses
