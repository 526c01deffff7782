// Categorical cross-entropy from probabilities or logits (Keras 3 keras/src/backend/*/nn.py).
#include "categorical_crossentropy.hpp"

#include <descent/losses/detail/softmax_math.hpp>

#include <descent/core/error.hpp>

#include <descent/core/config.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace descent::losses {

CategoricalCrossentropy::CategoricalCrossentropy(CategoricalCrossentropyOptions options) : options_(options) {
  check(options_.label_smoothing >= 0 && options_.label_smoothing <= 1,
        "CategoricalCrossentropy: expected label_smoothing in [0, 1]; received label_smoothing=",
        options_.label_smoothing, ".");
}

namespace {
double smoothed(const Matrix& y, Index i, Index j, double s) {
  return y(i, j) * (1.0 - s) + s / static_cast<double>(y.cols());
}
}  // namespace

double CategoricalCrossentropy::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  const double s = options_.label_smoothing;
  double total = 0.0;
  for (Index i = 0; i < y_pred.rows(); ++i) {
    double row = 0.0;
    if (options_.from_logits) {
      double lse = row_logsumexp(y_pred, i);
      for (Index j = 0; j < y_pred.cols(); ++j) row += smoothed(y_true, i, j, s) * (lse - y_pred(i, j));
    } else {
      Scalar mass = y_pred.row(i).sum();
      for (Index j = 0; j < y_pred.cols(); ++j) {
        Scalar p = std::clamp(y_pred(i, j) / mass, kEpsilon, kOneMinusEpsilon);
        row -= smoothed(y_true, i, j, s) * std::log(static_cast<double>(p));
      }
    }
    total += sample_weight(weights, i) * row;
  }
  return total;
}

void CategoricalCrossentropy::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  const double s = options_.label_smoothing;
  const double n = static_cast<double>(y_pred.rows());
  grad.resize(y_pred.rows(), y_pred.cols());
  for (Index i = 0; i < y_pred.rows(); ++i) {
    if (options_.from_logits) {
      double lse = row_logsumexp(y_pred, i);
      double y_mass = 0.0;
      for (Index j = 0; j < y_pred.cols(); ++j) y_mass += smoothed(y_true, i, j, s);
      for (Index j = 0; j < y_pred.cols(); ++j)
        grad(i, j) = static_cast<Scalar>((std::exp(y_pred(i, j) - lse) * y_mass - smoothed(y_true, i, j, s)) / n);
    } else {
      // q = y_pred / S; loss = -sum_k y_k log clip(q_k); dq_k/dy_pred_j = (delta_kj - q_k) / S.
      double mass = y_pred.row(i).sum();
      double weighted = 0.0;  // sum_k g_k q_k, with g_k = dloss/dq_k
      for (Index k = 0; k < y_pred.cols(); ++k) {
        double q = y_pred(i, k) / mass;
        Scalar qs = static_cast<Scalar>(q);
        double g = (qs < kEpsilon || qs > kOneMinusEpsilon) ? 0.0 : -smoothed(y_true, i, k, s) / q;
        grad(i, k) = static_cast<Scalar>(g);
        weighted += g * q;
      }
      for (Index j = 0; j < y_pred.cols(); ++j)
        grad(i, j) = static_cast<Scalar>((grad(i, j) - weighted) / mass / n);
    }
  }
}

void CategoricalCrossentropy::check_targets(const Matrix& y_true, Index outputs, const std::string& where) const {
  Loss::check_targets(y_true, outputs, where);
  for (Index i = 0; i < y_true.rows(); ++i)
    for (Index j = 0; j < y_true.cols(); ++j)
      check(y_true(i, j) >= 0 && y_true(i, j) <= 1, where,
            ": categorical cross-entropy expects one-hot or probability targets in [0, 1]; received ", y_true(i, j),
            " at row ", i, ", column ", j, ". For integer labels use sparse_categorical_crossentropy.");
}

std::unique_ptr<Loss> CategoricalCrossentropy::logits_form() const {
  auto options = options_;
  options.from_logits = true;
  return std::make_unique<CategoricalCrossentropy>(options);
}

nlohmann::json CategoricalCrossentropy::config() const {
  auto c = with_fields(Loss::config(), options_);
  c["axis"] = -1;
  return c;
}

}  // namespace descent::losses
