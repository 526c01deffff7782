// Binary cross-entropy, from probabilities (clipped) or logits (exact). Keras 3 keras/src/backend/*/nn.py.
#include "binary_crossentropy.hpp"

#include "../nn/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace descent::losses {

BinaryCrossentropy::BinaryCrossentropy(BinaryCrossentropyOptions options) : options_(options) {
  check(options_.label_smoothing >= 0 && options_.label_smoothing <= 1,
        "BinaryCrossentropy: expected label_smoothing in [0, 1]; received label_smoothing=", options_.label_smoothing,
        ".");
}

double BinaryCrossentropy::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  const double s = options_.label_smoothing;
  double total = 0.0;
  for (Index i = 0; i < y_pred.rows(); ++i) {
    double row = 0.0;
    for (Index j = 0; j < y_pred.cols(); ++j) {
      double y = y_true(i, j) * (1.0 - s) + 0.5 * s;
      if (options_.from_logits) {
        double z = y_pred(i, j);
        row += std::max(z, 0.0) - z * y + std::log1p(std::exp(-std::abs(z)));
      } else {
        double p = std::clamp(y_pred(i, j), kEpsilon, kOneMinusEpsilon);
        row -= y * std::log(p) + (1.0 - y) * std::log(1.0 - p);
      }
    }
    total += sample_weight(weights, i) * row / static_cast<double>(y_pred.cols());
  }
  return total;
}

void BinaryCrossentropy::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  const double s = options_.label_smoothing;
  const double scale = 1.0 / static_cast<double>(y_pred.rows() * y_pred.cols());
  grad.resize(y_pred.rows(), y_pred.cols());
  for (Index i = 0; i < y_pred.rows(); ++i) {
    for (Index j = 0; j < y_pred.cols(); ++j) {
      double y = y_true(i, j) * (1.0 - s) + 0.5 * s;
      double v = y_pred(i, j);
      double g;
      if (options_.from_logits) {
        g = 1.0 / (1.0 + std::exp(-v)) - y;
      } else if (v < kEpsilon || v > kOneMinusEpsilon) {
        g = 0.0;  // the clip has zero gradient outside its bounds
      } else {
        g = (v - y) / (v * (1.0 - v));
      }
      grad(i, j) = static_cast<Scalar>(g * scale);
    }
  }
}

void BinaryCrossentropy::check_targets(const Matrix& y_true, Index outputs, const std::string& where) const {
  Loss::check_targets(y_true, outputs, where);
  for (Index i = 0; i < y_true.rows(); ++i)
    for (Index j = 0; j < y_true.cols(); ++j)
      check(y_true(i, j) >= 0 && y_true(i, j) <= 1, where, ": binary cross-entropy expects targets in [0, 1]; received ",
            y_true(i, j), " at row ", i, ", column ", j, ".");
}

std::unique_ptr<Loss> BinaryCrossentropy::logits_form() const {
  auto options = options_;
  options.from_logits = true;
  return std::make_unique<BinaryCrossentropy>(options);
}

nlohmann::json BinaryCrossentropy::config() const {
  return {{"name", name()},
          {"reduction", "sum_over_batch_size"},
          {"from_logits", options_.from_logits},
          {"label_smoothing", options_.label_smoothing},
          {"axis", -1}};
}

}  // namespace descent::losses
