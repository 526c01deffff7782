// Mean absolute percentage error (Keras 3 keras/src/losses/losses.py, mean_absolute_percentage_error).
#include "mean_absolute_percentage_error.hpp"

#include <descent/losses/detail/elementwise_math.hpp>

#include <algorithm>
#include <cmath>

namespace descent::losses {
namespace {
double denominator(double t) { return std::max(std::abs(t), static_cast<double>(kEpsilon)); }
}  // namespace

double MeanAbsolutePercentageError::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  return sum_of_terms(y_true, y_pred, weights, static_cast<double>(y_pred.cols()),
                      [](double t, Scalar p) { return 100.0 * std::abs(t - p) / denominator(t); });
}

void MeanAbsolutePercentageError::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  gradient_of_terms(y_true, y_pred, static_cast<double>(y_pred.cols()), grad, [](double t, Scalar p) {
    double e = p - t;
    return 100.0 * (e > 0 ? 1.0 : e < 0 ? -1.0 : 0.0) / denominator(t);
  });
}

}  // namespace descent::losses
