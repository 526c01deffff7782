// The accuracy family: binary (thresholded), categorical (argmax vs argmax), sparse categorical (label vs argmax).
#pragma once

#include "metric.hpp"

namespace descent::metrics {

struct BinaryAccuracyOptions {
  std::string name = "binary_accuracy";
  double threshold = 0.5;
};

/// Per sample: the fraction of outputs where y_true equals (y_pred > threshold).
class BinaryAccuracy : public MeanMetric {
 public:
  explicit BinaryAccuracy(BinaryAccuracyOptions options = {});
  std::string class_name() const override { return "BinaryAccuracy"; }
  bool higher_is_better() const override { return true; }
  void update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) override;
  nlohmann::json config() const override;

 private:
  double threshold_;
};

struct AccuracyOptions {
  std::string name;
};

/// Per sample: 1 when argmax(y_true) == argmax(y_pred) (first maximum wins ties, as NumPy's argmax).
class CategoricalAccuracy : public MeanMetric {
 public:
  explicit CategoricalAccuracy(AccuracyOptions options = {});
  std::string class_name() const override { return "CategoricalAccuracy"; }
  bool higher_is_better() const override { return true; }
  void update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) override;
};

/// Per sample: 1 when the integer label y_true equals argmax(y_pred).
class SparseCategoricalAccuracy : public MeanMetric {
 public:
  explicit SparseCategoricalAccuracy(AccuracyOptions options = {});
  std::string class_name() const override { return "SparseCategoricalAccuracy"; }
  bool higher_is_better() const override { return true; }
  void update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) override;
};

}  // namespace descent::metrics
