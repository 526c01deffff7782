// Sparse categorical cross-entropy (Keras 3 keras/src/backend/tensorflow/nn.py).
#include "sparse_categorical_crossentropy.hpp"

#include <descent/losses/detail/softmax_math.hpp>

#include <descent/core/error.hpp>

#include <descent/core/config.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace descent::losses {

SparseCategoricalCrossentropy::SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions options)
    : options_(options) {}

Index SparseCategoricalCrossentropy::label(const Matrix& y_true, Index row, Index classes) const {
  Scalar v = y_true(row, 0);
  // Runs for every sample of every step: no message (and no class_name() string) unless the label is bad.
  if (v >= 0 && v < static_cast<Scalar>(classes) && v == std::floor(v)) return static_cast<Index>(v);
  fail(str(class_name(), ": expected an integer label in [0, ", classes, "); received ", v, " at row ", row, "."));
}

double SparseCategoricalCrossentropy::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  double total = 0.0;
  for (Index i = 0; i < y_pred.rows(); ++i) {
    Index k = label(y_true, i, y_pred.cols());
    if (options_.from_logits) {
      total += sample_weight(weights, i) * (row_logsumexp(y_pred, i) - y_pred(i, k));
    } else {
      double mass = 0.0;
      for (Index j = 0; j < y_pred.cols(); ++j) mass += std::clamp(y_pred(i, j), kEpsilon, kOneMinusEpsilon);
      total += sample_weight(weights, i) *
               (std::log(mass) - std::log(static_cast<double>(std::clamp(y_pred(i, k), kEpsilon, kOneMinusEpsilon))));
    }
  }
  return total;
}

void SparseCategoricalCrossentropy::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  const double n = static_cast<double>(y_pred.rows());
  grad.resize(y_pred.rows(), y_pred.cols());
  for (Index i = 0; i < y_pred.rows(); ++i) {
    Index k = label(y_true, i, y_pred.cols());
    if (options_.from_logits) {
      double lse = row_logsumexp(y_pred, i);
      for (Index j = 0; j < y_pred.cols(); ++j)
        grad(i, j) = static_cast<Scalar>((std::exp(y_pred(i, j) - lse) - (j == k ? 1.0 : 0.0)) / n);
    } else {
      double mass = 0.0;
      for (Index j = 0; j < y_pred.cols(); ++j) mass += std::clamp(y_pred(i, j), kEpsilon, kOneMinusEpsilon);
      for (Index j = 0; j < y_pred.cols(); ++j) {
        Scalar v = y_pred(i, j);
        bool clipped = v < kEpsilon || v > kOneMinusEpsilon;
        double g = clipped ? 0.0 : 1.0 / mass - (j == k ? 1.0 / v : 0.0);
        grad(i, j) = static_cast<Scalar>(g / n);
      }
    }
  }
}

void SparseCategoricalCrossentropy::check_targets(const Matrix& y_true, Index outputs, const std::string& where) const {
  Loss::check_targets(y_true, outputs, where);
  for (Index i = 0; i < y_true.rows(); ++i) {
    Scalar v = y_true(i, 0);
    check(v >= 0 && v < static_cast<Scalar>(outputs) && v == std::floor(v), where,
          ": sparse categorical cross-entropy expects integer labels in [0, ", outputs, ") for ", outputs,
          " outputs; received ", v, " at row ", i, ".");
  }
}

std::unique_ptr<Loss> SparseCategoricalCrossentropy::logits_form() const {
  return std::make_unique<SparseCategoricalCrossentropy>(SparseCategoricalCrossentropyOptions{.from_logits = true});
}

nlohmann::json SparseCategoricalCrossentropy::config() const {
  auto c = with_fields(Loss::config(), options_);
  c["ignore_class"] = nullptr;
  c["axis"] = -1;
  return c;
}

}  // namespace descent::losses
