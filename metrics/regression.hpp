// Regression metrics with no loss of their own: RootMeanSquaredError, and CosineSimilarity (the loss's negative).
#pragma once

#include "metric.hpp"

namespace descent::metrics {

struct RegressionMetricOptions {
  std::string name;  ///< empty: the Keras default name
};

/// sqrt of the mean squared error over every sample seen (not a mean of batch RMSEs).
class RootMeanSquaredError : public MeanMetric {
 public:
  explicit RootMeanSquaredError(RegressionMetricOptions options = {});
  std::string class_name() const override { return "RootMeanSquaredError"; }
  void update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) override;
  double result() const override;
};

/// Mean over samples of <y_true, y_pred> / (|y_true| |y_pred|): 1 for the same direction. Keras's metric is the
/// positive similarity; the CosineSimilarity loss is its negative, and this metric reuses the loss's math.
class CosineSimilarity : public MeanMetric {
 public:
  explicit CosineSimilarity(RegressionMetricOptions options = {});
  std::string class_name() const override { return "CosineSimilarity"; }
  bool higher_is_better() const override { return true; }
  void update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) override;
  nlohmann::json config() const override;
};

}  // namespace descent::metrics
