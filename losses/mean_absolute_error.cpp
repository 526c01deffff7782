// Mean absolute error: gradient sign(y_pred - y_true) / (samples * outputs), 0 where they are equal.
#include "mean_absolute_error.hpp"

#include <descent/losses/detail/elementwise_math.hpp>

#include <cmath>

namespace descent::losses {

double MeanAbsoluteError::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  return sum_of_terms(y_true, y_pred, weights, static_cast<double>(y_pred.cols()),
                      [](double t, Scalar p) { return std::abs(static_cast<double>(p) - t); });
}

void MeanAbsoluteError::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  const Scalar scale = Scalar(1.0 / static_cast<double>(y_pred.rows() * y_pred.cols()));
  grad.resize(y_pred.rows(), y_pred.cols());
  grad.array() = (y_pred - y_true).array().sign() * scale;
}

}  // namespace descent::losses
