// Accuracy metrics (Keras 3 keras/src/metrics/accuracy_metrics.py).
#include "accuracy.hpp"

#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

namespace descent::metrics {
namespace {
void check_same_rows(const char* metric, const Matrix& y_true, const Matrix& y_pred, Index true_cols) {
  check(y_true.rows() == y_pred.rows() && y_true.cols() == true_cols, metric, ": expected y_true of ", y_pred.rows(),
        " x ", true_cols, " for y_pred of ", y_pred.rows(), " x ", y_pred.cols(), "; received ", y_true.rows(), " x ",
        y_true.cols(), ".");
}
Index argmax(const Matrix& m, Index row) {
  Index best = 0;
  for (Index j = 1; j < m.cols(); ++j)
    if (m(row, j) > m(row, best)) best = j;
  return best;
}
}  // namespace

BinaryAccuracy::BinaryAccuracy(BinaryAccuracyOptions options) : threshold_(options.threshold) {
  name_ = options.name;
}

void BinaryAccuracy::update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) {
  check_same_rows("BinaryAccuracy", y_true, y_pred, y_pred.cols());
  const Scalar t = static_cast<Scalar>(threshold_);
  double sum = 0.0;
  for (Index i = 0; i < y_pred.rows(); ++i) {
    Index hits = 0;
    for (Index j = 0; j < y_pred.cols(); ++j) hits += (y_true(i, j) == (y_pred(i, j) > t ? Scalar(1) : Scalar(0)));
    sum += sample_weight(weights, i) * static_cast<double>(hits) / static_cast<double>(y_pred.cols());
  }
  add(sum, y_pred.rows(), weights);
}

nlohmann::json BinaryAccuracy::config() const {
  auto c = Metric::config();
  c["threshold"] = threshold_;
  return c;
}

CategoricalAccuracy::CategoricalAccuracy(AccuracyOptions options) {
  name_ = options.name.empty() ? "categorical_accuracy" : options.name;
}

void CategoricalAccuracy::update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) {
  check_same_rows("CategoricalAccuracy", y_true, y_pred, y_pred.cols());
  double hits = 0.0;
  for (Index i = 0; i < y_pred.rows(); ++i)
    if (argmax(y_true, i) == argmax(y_pred, i)) hits += sample_weight(weights, i);
  add(hits, y_pred.rows(), weights);
}

SparseCategoricalAccuracy::SparseCategoricalAccuracy(AccuracyOptions options) {
  name_ = options.name.empty() ? "sparse_categorical_accuracy" : options.name;
}

void SparseCategoricalAccuracy::update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) {
  check_same_rows("SparseCategoricalAccuracy", y_true, y_pred, 1);
  double hits = 0.0;
  for (Index i = 0; i < y_pred.rows(); ++i)
    if (y_true(i, 0) == static_cast<Scalar>(argmax(y_pred, i))) hits += sample_weight(weights, i);
  add(hits, y_pred.rows(), weights);
}

}  // namespace descent::metrics
