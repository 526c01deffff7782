// AUC: area under the ROC or precision-recall curve from confusion counts at fixed thresholds, as Keras's AUC.
#pragma once

#include "confusion_matrix.hpp"
#include "metric.hpp"

#include <optional>
#include <vector>

namespace descent::metrics {

struct AUCOptions {
  int num_thresholds = 200;                         ///< > 1; thresholds -1e-7, 1/(n-1), ..., (n-2)/(n-1), 1 + 1e-7
  std::string curve = "ROC";                        ///< "ROC" or "PR"
  std::string summation_method = "interpolation";   ///< "interpolation", "minoring" or "majoring"
  std::string name = "auc";
  std::vector<double> thresholds = {};              ///< in [0, 1]; when set, replaces num_thresholds
  bool multi_label = false;                         ///< one AUC per output column, averaged
  std::optional<Index> num_labels = {};             ///< with multi_label: the expected number of columns
  std::vector<double> label_weights = {};           ///< per-column weights (flattened) or AUC weights (multi-label)
  bool from_logits = false;                         ///< apply a sigmoid to y_pred first
};

/// The ROC curve plots recall against the false-positive rate; PR plots precision against recall. "interpolation"
/// is the trapezoid rule for ROC and Davis & Goadrich's interpolation for PR (true and false positives vary
/// linearly between thresholds, precision does not); "minoring"/"majoring" take the lower/upper of each pair.
/// Predictions are clipped to [0, 1] when the thresholds are evenly spread (the default), as in Keras.
class AUC : public Metric {
 public:
  explicit AUC(AUCOptions options = {});
  std::string class_name() const override { return "AUC"; }
  bool higher_is_better() const override { return true; }
  void update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) override;
  double result() const override;
  void reset() override;
  nlohmann::json config() const override;

  /// Every threshold, endpoints included (num_thresholds of them).
  const std::vector<double>& thresholds() const { return setup_.thresholds; }
  const ConfusionCounts& counts() const { return counts_; }
  const AUCOptions& options() const { return options_; }

 private:
  double area(Index label) const;
  double interpolated_pr_area(Index label) const;

  AUCOptions options_;
  ConfusionSetup setup_;
  ConfusionCounts counts_;
  Matrix probabilities_;  // sigmoid(y_pred) when from_logits
};

}  // namespace descent::metrics
