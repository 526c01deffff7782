// Categorical hinge loss (Keras 3 keras/src/losses/losses.py, categorical_hinge).
#include "categorical_hinge.hpp"

#include <descent/core/error.hpp>

namespace descent::losses {
namespace {

struct RowHinge {
  double margin;  // neg - pos + 1
  Index worst;    // argmax_j (1 - y_j) p_j
};

RowHinge row_hinge(const Matrix& y_true, const Matrix& y_pred, Index i) {
  double pos = 0.0;
  double neg = 0.0;
  Index worst = 0;
  for (Index j = 0; j < y_pred.cols(); ++j) {
    double t = y_true(i, j);
    double p = y_pred(i, j);
    pos += t * p;
    double wrong = (1.0 - t) * p;
    if (j == 0 || wrong > neg) {
      neg = wrong;
      worst = j;
    }
  }
  return {neg - pos + 1.0, worst};
}

}  // namespace

double CategoricalHinge::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  double total = 0.0;
  for (Index i = 0; i < y_pred.rows(); ++i) {
    double margin = row_hinge(y_true, y_pred, i).margin;
    if (margin > 0.0) total += sample_weight(weights, i) * margin;
  }
  return total;
}

void CategoricalHinge::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  const double n = static_cast<double>(y_pred.rows());
  grad.setZero(y_pred.rows(), y_pred.cols());
  if (y_pred.cols() == 0) return;
  for (Index i = 0; i < y_pred.rows(); ++i) {
    RowHinge h = row_hinge(y_true, y_pred, i);
    if (h.margin <= 0.0) continue;
    for (Index j = 0; j < y_pred.cols(); ++j) grad(i, j) = static_cast<Scalar>(-y_true(i, j) / n);
    grad(i, h.worst) += static_cast<Scalar>((1.0 - y_true(i, h.worst)) / n);
  }
}

void CategoricalHinge::check_targets(const Matrix& y_true, Index outputs, const std::string& where) const {
  Loss::check_targets(y_true, outputs, where);
  for (Index i = 0; i < y_true.rows(); ++i)
    for (Index j = 0; j < y_true.cols(); ++j)
      check(y_true(i, j) >= -1 && y_true(i, j) <= 1, where,
            ": categorical_hinge expects one-hot targets (values in [-1, 1]); received ", y_true(i, j), " at row ", i,
            ", column ", j, ". For integer labels, one-hot encode them first.");
}

}  // namespace descent::losses
