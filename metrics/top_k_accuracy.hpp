// TopKCategoricalAccuracy: how often the one-hot target's class is among the k highest predictions.
#pragma once

#include "metric.hpp"

namespace descent::metrics {

struct TopKCategoricalAccuracyOptions {
  int k = 5;  ///< >= 1
  std::string name = "top_k_categorical_accuracy";
};

/// Per sample: 1 when fewer than k classes score strictly higher than the target class (argmax of y_true, first
/// on ties). Classes tied at the boundary all count as in the top k, as TensorFlow's in_top_k.
class TopKCategoricalAccuracy : public MeanMetric {
 public:
  explicit TopKCategoricalAccuracy(TopKCategoricalAccuracyOptions options = {});
  std::string class_name() const override { return "TopKCategoricalAccuracy"; }
  bool higher_is_better() const override { return true; }
  void update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) override;
  nlohmann::json config() const override;
  int k() const { return k_; }

 private:
  int k_;
};

}  // namespace descent::metrics
