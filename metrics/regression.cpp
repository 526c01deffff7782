// RootMeanSquaredError and CosineSimilarity (Keras 3 keras/src/metrics/regression_metrics.py), on the losses' math.
#include "regression.hpp"

#include <descent/losses/cosine_similarity.hpp>
#include <descent/losses/mean_squared_error.hpp>
#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::metrics {
namespace {
// Runs every batch: no class_name() string (longer than the small-string buffer) unless the shapes differ.
void check_same_shape(const Metric& m, const Matrix& y_true, const Matrix& y_pred) {
  if (y_true.rows() == y_pred.rows() && y_true.cols() == y_pred.cols()) return;
  fail(str(m.class_name(), ": y_true and y_pred must have the same shape; received y_true of ", y_true.rows(), " x ",
           y_true.cols(), " and y_pred of ", y_pred.rows(), " x ", y_pred.cols(), "."));
}
}  // namespace

RootMeanSquaredError::RootMeanSquaredError(RegressionMetricOptions options) {
  name_ = options.name.empty() ? "root_mean_squared_error" : options.name;
}

void RootMeanSquaredError::update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) {
  check_same_shape(*this, y_true, y_pred);
  add(losses::MeanSquaredError().sum(y_true, y_pred, weights), y_pred.rows(), weights);
}

double RootMeanSquaredError::result() const { return std::sqrt(MeanMetric::result()); }

CosineSimilarity::CosineSimilarity(RegressionMetricOptions options) {
  name_ = options.name.empty() ? "cosine_similarity" : options.name;
}

void CosineSimilarity::update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) {
  check_same_shape(*this, y_true, y_pred);
  add(-losses::CosineSimilarity().sum(y_true, y_pred, weights), y_pred.rows(), weights);
}

nlohmann::json CosineSimilarity::config() const {
  auto c = Metric::config();
  c["axis"] = -1;
  return c;
}

}  // namespace descent::metrics
