// Cosine similarity loss (Keras 3 keras/src/losses/losses.py, cosine_similarity; l2 normalization as
// keras.ops.normalize: x * min(rsqrt(sum x^2), 1 / epsilon), i.e. x / max(|x|, epsilon)).
#include "cosine_similarity.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace descent::losses {
namespace {

double row_norm(const Matrix& m, Index i) { return m.row(i).cast<double>().norm(); }
double floored(double norm) { return std::max(norm, static_cast<double>(kEpsilon)); }

}  // namespace

double CosineSimilarity::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  double total = 0.0;
  for (Index i = 0; i < y_pred.rows(); ++i) {
    double dot = y_true.row(i).cast<double>().dot(y_pred.row(i).cast<double>());
    total -= sample_weight(weights, i) * dot / (floored(row_norm(y_true, i)) * floored(row_norm(y_pred, i)));
  }
  return total;
}

void CosineSimilarity::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  const double n = static_cast<double>(y_pred.rows());
  grad.resize(y_pred.rows(), y_pred.cols());
  for (Index i = 0; i < y_pred.rows(); ++i) {
    const double true_norm = floored(row_norm(y_true, i));
    const double pred_norm = row_norm(y_pred, i);
    const double dot = y_true.row(i).cast<double>().dot(y_pred.row(i).cast<double>()) / true_norm;  // <a, p>
    for (Index j = 0; j < y_pred.cols(); ++j) {
      double a = y_true(i, j) / true_norm;
      double g = pred_norm > static_cast<double>(kEpsilon)
                     ? -(a / pred_norm - dot * y_pred(i, j) / (pred_norm * pred_norm * pred_norm))
                     : -a / static_cast<double>(kEpsilon);
      grad(i, j) = static_cast<Scalar>(g / n);
    }
  }
}

nlohmann::json CosineSimilarity::config() const {
  auto c = Loss::config();
  c["axis"] = -1;
  return c;
}

}  // namespace descent::losses
