// Mean squared error: gradient 2 (y_pred - y_true) / (samples * outputs).
#include "mean_squared_error.hpp"

#include <descent/losses/detail/elementwise_math.hpp>

namespace descent::losses {

double MeanSquaredError::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  return sum_of_terms(y_true, y_pred, weights, static_cast<double>(y_pred.cols()), [](double t, Scalar p) {
    const double d = static_cast<double>(p) - t;
    return d * d;
  });
}

void MeanSquaredError::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  const Scalar scale = Scalar(2.0 / static_cast<double>(y_pred.rows() * y_pred.cols()));
  grad.resize(y_pred.rows(), y_pred.cols());
  grad.array() = (y_pred - y_true).array() * scale;
}

}  // namespace descent::losses
