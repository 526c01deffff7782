// Mean squared error: gradient 2 (y_pred - y_true) / (samples * outputs).
#include "mean_squared_error.hpp"

namespace descent::losses {

double MeanSquaredError::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  double total = 0.0;
  for (Index i = 0; i < y_pred.rows(); ++i) {
    double row = 0.0;
    for (Index j = 0; j < y_pred.cols(); ++j) {
      double d = static_cast<double>(y_pred(i, j)) - y_true(i, j);
      row += d * d;
    }
    total += sample_weight(weights, i) * row / static_cast<double>(y_pred.cols());
  }
  return total;
}

void MeanSquaredError::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  const Scalar scale = Scalar(2.0 / static_cast<double>(y_pred.rows() * y_pred.cols()));
  grad.resize(y_pred.rows(), y_pred.cols());
  grad.array() = (y_pred - y_true).array() * scale;
}

}  // namespace descent::losses
