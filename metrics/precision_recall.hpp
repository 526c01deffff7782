// Precision and Recall: tp / (tp + fp) and tp / (tp + fn) at one or more thresholds, with Keras's top_k and class_id.
#pragma once

#include "confusion_matrix.hpp"
#include "metric.hpp"

#include <optional>
#include <vector>

namespace descent::metrics {

struct PrecisionOptions {
  std::vector<double> thresholds = {};  ///< in [0, 1]; empty: 0.5, or with top_k "any value in the top k"
  std::optional<int> top_k = {};        ///< only each row's k largest predictions count as positive
  std::optional<int> class_id = {};     ///< only column class_id counts
  std::string name = "precision";
};

struct RecallOptions {
  std::vector<double> thresholds = {};  ///< in [0, 1]; empty: 0.5, or with top_k "any value in the top k"
  std::optional<int> top_k = {};        ///< only each row's k largest predictions count as positive
  std::optional<int> class_id = {};     ///< only column class_id counts
  std::string name = "recall";
};

/// The counts behind Precision and Recall. Labels are positive when non-zero; predictions when strictly above the
/// threshold. With several thresholds, results() has one value per threshold and result() throws.
class ThresholdedRatio : public Metric {
 public:
  bool higher_is_better() const override { return true; }
  double result() const override;
  /// One value per threshold.
  std::vector<double> results() const;
  void update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) override;
  void reset() override { counts_.reset(); }
  nlohmann::json config() const override;
  const std::vector<double>& thresholds() const { return setup_.thresholds; }
  const ConfusionCounts& counts() const { return counts_; }

 protected:
  ThresholdedRatio(const std::string& where, std::vector<double> thresholds, std::optional<int> top_k,
                   std::optional<int> class_id, std::string name);
  /// The ratio at threshold t from the counts.
  virtual double ratio(Index t) const = 0;

  ConfusionCounts counts_;

 private:
  ConfusionSetup setup_;
  std::vector<double> init_thresholds_;  // as given, for config()
};

/// tp / (tp + fp), 0 when nothing was predicted positive (Keras 3 keras/src/metrics/confusion_metrics.py).
class Precision : public ThresholdedRatio {
 public:
  explicit Precision(PrecisionOptions options = {});
  std::string class_name() const override { return "Precision"; }

 private:
  double ratio(Index t) const override;
};

/// tp / (tp + fn), 0 when there were no positive labels.
class Recall : public ThresholdedRatio {
 public:
  explicit Recall(RecallOptions options = {});
  std::string class_name() const override { return "Recall"; }

 private:
  double ratio(Index t) const override;
};

}  // namespace descent::metrics
