// Confusion-matrix counts at a list of thresholds, as Keras's metrics_utils.update_confusion_matrix_variables.
#pragma once

#include <descent/core/tensor.hpp>

#include <optional>
#include <string>
#include <vector>

namespace descent::metrics {

/// Keras's NEG_INF: the threshold Precision and Recall use with top_k, and the value given to predictions
/// outside the top k.
inline constexpr double kNegInf = -1e10;

/// Keras's is_evenly_distributed_thresholds: at least 3 values, value i within 1e-7 (plus 1e-5 relative, as
/// np.allclose) of i / (n - 1).
bool evenly_distributed(const std::vector<double>& thresholds);

/// How (y_true, y_pred) become counts. A prediction is positive at threshold t when it is strictly greater than t;
/// a label is positive when it is non-zero.
struct ConfusionSetup {
  std::vector<double> thresholds;     ///< ascending for the bucket method; any order otherwise
  bool evenly = false;                ///< Keras's bucket method: predictions clipped to [0, 1], O(N + T)
  std::optional<int> top_k;           ///< only the k largest predictions of a row can be positive
  std::optional<int> class_id;        ///< count column class_id only
  bool multi_label = false;           ///< one column of counts per label instead of flattening
  std::vector<double> label_weights;  ///< per-column weights when flattening (AUC); empty: all 1
};

/// True/false positives/negatives: one row per threshold, one column per label (a single column unless
/// multi-label), accumulated in double so epoch values are exact sums over batches.
class ConfusionCounts {
 public:
  /// Adds one batch. `where` names the metric in messages. The counts are sized on the first call.
  void update(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights, const ConfusionSetup& setup,
              const std::string& where);
  /// Zeros the counts, keeping their shape.
  void reset();
  /// Labels seen (columns of the counts); 0 before the first update.
  Index labels() const { return tp.cols(); }

  Eigen::MatrixXd tp, fp, tn, fn;

 private:
  Matrix top_k_pred_;           // y_pred with the values outside each row's top k set to kNegInf
  std::vector<Index> order_;    // scratch for the top-k selection
  Eigen::MatrixXd true_bucket_, false_bucket_;  // label weight falling in each threshold bucket
  Eigen::VectorXd total_true_, total_false_;    // label weight of positive and negative labels
};

/// a / b, or 0 where b is 0 (Keras's ops.divide_no_nan).
inline double divide_no_nan(double a, double b) { return b == 0.0 ? 0.0 : a / b; }

}  // namespace descent::metrics
