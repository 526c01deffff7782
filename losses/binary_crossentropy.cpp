// Binary cross-entropy, from probabilities (clipped) or logits (exact). Keras 3 keras/src/backend/*/nn.py.
#include "binary_crossentropy.hpp"

#include <descent/losses/detail/elementwise_math.hpp>

#include <descent/core/error.hpp>

#include <descent/core/config.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace descent::losses {

BinaryCrossentropy::BinaryCrossentropy(BinaryCrossentropyOptions options) : options_(options) {
  check(options_.label_smoothing >= 0 && options_.label_smoothing <= 1,
        "BinaryCrossentropy: expected label_smoothing in [0, 1]; received label_smoothing=", options_.label_smoothing,
        ".");
}

// Element terms in Scalar precision, as Keras's float32, vectorized; the sum is taken in double.
double BinaryCrossentropy::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  const auto keep = static_cast<Scalar>(1.0 - options_.label_smoothing);
  const auto half = static_cast<Scalar>(0.5 * options_.label_smoothing);
  if (options_.from_logits)
    return sum_of_vectorized_terms(y_true, y_pred, weights, [&](const auto& t, const auto& z) {
      return z.max(Scalar(0)) - z * (t * keep + half) + (-z.abs()).exp().log1p();
    });
  return sum_of_vectorized_terms(y_true, y_pred, weights, [&](const auto& t, const auto& v) {
    const auto y = t * keep + half;
    const auto p = v.max(kEpsilon).min(kOneMinusEpsilon);
    return -(y * p.log() + (Scalar(1) - y) * (Scalar(1) - p).log());
  });
}

void BinaryCrossentropy::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  const auto keep = static_cast<Scalar>(1.0 - options_.label_smoothing);
  const auto half = static_cast<Scalar>(0.5 * options_.label_smoothing);
  if (options_.from_logits) {
    vectorized_gradient(y_true, y_pred, grad, [&](const auto& t, const auto& z) {
      return (Scalar(1) + (-z).exp()).inverse() - (t * keep + half);
    });
    return;
  }
  // The clip has zero gradient outside its bounds.
  vectorized_gradient(y_true, y_pred, grad, [&](const auto& t, const auto& v) {
    const auto inside = v >= kEpsilon && v <= kOneMinusEpsilon;
    return inside.select((v - (t * keep + half)) / (v * (Scalar(1) - v)), Scalar(0));
  });
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
  auto c = with_fields(Loss::config(), options_);
  c["axis"] = -1;
  return c;
}

}  // namespace descent::losses
