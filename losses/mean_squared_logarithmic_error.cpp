// Mean squared logarithmic error (Keras 3 keras/src/losses/losses.py, mean_squared_logarithmic_error).
#include "mean_squared_logarithmic_error.hpp"

#include <descent/losses/detail/elementwise_math.hpp>

#include <descent/core/error.hpp>

#include <algorithm>
#include <cmath>

namespace descent::losses {
namespace {
double log1p_floored(Scalar v) { return std::log1p(static_cast<double>(std::max(v, kEpsilon))); }
}  // namespace

double MeanSquaredLogarithmicError::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  return sum_of_terms(y_true, y_pred, weights, static_cast<double>(y_pred.cols()), [](double t, Scalar p) {
    double d = log1p_floored(p) - log1p_floored(static_cast<Scalar>(t));
    return d * d;
  });
}

void MeanSquaredLogarithmicError::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  gradient_of_terms(y_true, y_pred, static_cast<double>(y_pred.cols()), grad, [](double t, Scalar p) {
    if (p < kEpsilon) return 0.0;  // max(y_pred, eps) is flat below eps
    double d = log1p_floored(p) - log1p_floored(static_cast<Scalar>(t));
    return 2.0 * d / (static_cast<double>(p) + 1.0);
  });
}

void MeanSquaredLogarithmicError::check_targets(const Matrix& y_true, Index outputs, const std::string& where) const {
  Loss::check_targets(y_true, outputs, where);
  for (Index i = 0; i < y_true.rows(); ++i)
    for (Index j = 0; j < y_true.cols(); ++j)
      check(y_true(i, j) >= 0, where,
            ": mean_squared_logarithmic_error expects non-negative targets (Keras would silently treat negative "
            "ones as 1e-7); received ",
            y_true(i, j), " at row ", i, ", column ", j, ".");
}

}  // namespace descent::losses
