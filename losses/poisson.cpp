// Poisson loss (Keras 3 keras/src/losses/losses.py, poisson).
#include "poisson.hpp"

#include <descent/losses/detail/elementwise_math.hpp>

#include <descent/core/error.hpp>

#include <cmath>

namespace descent::losses {

double Poisson::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  return sum_of_terms(y_true, y_pred, weights, static_cast<double>(y_pred.cols()), [](double t, Scalar p) {
    return p - t * std::log(static_cast<double>(p + kEpsilon));  // y_pred + eps in the working precision
  });
}

void Poisson::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  gradient_of_terms(y_true, y_pred, static_cast<double>(y_pred.cols()), grad,
                    [](double t, Scalar p) { return 1.0 - t / static_cast<double>(p + kEpsilon); });
}

void Poisson::check_targets(const Matrix& y_true, Index outputs, const std::string& where) const {
  Loss::check_targets(y_true, outputs, where);
  for (Index i = 0; i < y_true.rows(); ++i)
    for (Index j = 0; j < y_true.cols(); ++j)
      check(y_true(i, j) >= 0, where, ": poisson expects non-negative targets (counts or rates); received ",
            y_true(i, j), " at row ", i, ", column ", j, ".");
}

}  // namespace descent::losses
