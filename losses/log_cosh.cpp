// Log-cosh loss (Keras 3 keras/src/losses/losses.py, log_cosh: x + softplus(-2x) - log 2, the same function).
#include "log_cosh.hpp"

#include <descent/losses/detail/elementwise_math.hpp>

#include <cmath>
#include <numbers>

namespace descent::losses {

double LogCosh::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  return sum_of_terms(y_true, y_pred, weights, static_cast<double>(y_pred.cols()), [](double t, Scalar p) {
    double e = std::abs(p - t);
    return e + std::log1p(std::exp(-2.0 * e)) - std::numbers::ln2;
  });
}

void LogCosh::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  gradient_of_terms(y_true, y_pred, static_cast<double>(y_pred.cols()), grad,
                    [](double t, Scalar p) { return std::tanh(p - t); });
}

}  // namespace descent::losses
