// Top-k categorical accuracy (Keras 3 keras/src/metrics/accuracy_metrics.py; ops.in_top_k).
#include "top_k_accuracy.hpp"

#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::metrics {

TopKCategoricalAccuracy::TopKCategoricalAccuracy(TopKCategoricalAccuracyOptions options) : k_(options.k) {
  name_ = options.name;
  check(k_ >= 1, "TopKCategoricalAccuracy: k must be a positive integer; received k=", k_, ".");
}

void TopKCategoricalAccuracy::update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) {
  check(y_true.rows() == y_pred.rows() && y_true.cols() == y_pred.cols(),
        "TopKCategoricalAccuracy: expected one-hot y_true of the same shape as y_pred (", y_pred.rows(), " x ",
        y_pred.cols(), "); received y_true of ", y_true.rows(), " x ", y_true.cols(),
        ". For integer labels, one-hot encode them first.");
  double hits = 0.0;
  for (Index i = 0; i < y_pred.rows(); ++i) {
    if (y_pred.cols() == 0) continue;
    Index target = 0;
    for (Index j = 1; j < y_true.cols(); ++j)
      if (y_true(i, j) > y_true(i, target)) target = j;
    const Scalar score = y_pred(i, target);
    if (!std::isfinite(score)) continue;  // in_top_k is false for a non-finite target score
    Index higher = 0;
    for (Index j = 0; j < y_pred.cols(); ++j) higher += y_pred(i, j) > score;
    if (higher < k_) hits += sample_weight(weights, i);
  }
  add(hits, y_pred.rows(), weights);
}

nlohmann::json TopKCategoricalAccuracy::config() const {
  auto c = Metric::config();
  c["k"] = k_;
  return c;
}

}  // namespace descent::metrics
