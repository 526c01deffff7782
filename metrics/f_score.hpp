// FBetaScore and F1Score: the harmonic mean of precision and recall per class, optionally averaged.
#pragma once

#include "metric.hpp"

#include <optional>
#include <vector>

namespace descent::metrics {

struct FBetaScoreOptions {
  std::string average = "";             ///< "" (Keras None: one score per class), "micro", "macro" or "weighted"
  double beta = 1.0;                    ///< > 0; weight of recall in the harmonic mean
  std::optional<double> threshold = {};  ///< in (0, 1]; unset: the largest prediction of each row is the positive
  std::string name = "fbeta_score";
};

struct F1ScoreOptions {
  std::string average = "";             ///< "" (Keras None: one score per class), "micro", "macro" or "weighted"
  std::optional<double> threshold = {};  ///< in (0, 1]; unset: the largest prediction of each row is the positive
  std::string name = "f1_score";
};

/// (1 + b^2) p r / (b^2 p + r), with p = tp / (tp + fp + eps) and r = tp / (tp + fn + eps) from counts summed over
/// batches (Keras 3 keras/src/metrics/f_score_metrics.py). "micro" pools the counts of all classes, "macro" averages
/// the per-class scores, "weighted" weights them by each class's number of true labels. With average "" and more
/// than one column, results() has one score per class and result() throws.
class FBetaScore : public Metric {
 public:
  explicit FBetaScore(FBetaScoreOptions options = {});
  std::string class_name() const override { return "FBetaScore"; }
  bool higher_is_better() const override { return true; }
  void update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) override;
  double result() const override;
  /// One score per class (average ""), or the single averaged score.
  std::vector<double> results() const;
  void reset() override;
  nlohmann::json config() const override;
  const FBetaScoreOptions& options() const { return options_; }

 protected:
  /// `where` names the class in messages.
  FBetaScore(FBetaScoreOptions options, const std::string& where);

 private:
  double score(Index k) const;  // F-beta of class k (or of the pooled counts)
  double averaged() const;      // the "micro", "macro" or "weighted" combination

  FBetaScoreOptions options_;
  // Per class, or a single pooled entry for "micro"; sized by the first batch.
  Eigen::VectorXd tp_, fp_, fn_, support_;
  Index classes_ = 0;
};

/// FBetaScore with beta = 1.
class F1Score : public FBetaScore {
 public:
  explicit F1Score(F1ScoreOptions options = {});
  std::string class_name() const override { return "F1Score"; }
  nlohmann::json config() const override;
};

}  // namespace descent::metrics
