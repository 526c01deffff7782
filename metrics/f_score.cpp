// F-beta and F1 scores (Keras 3 keras/src/metrics/f_score_metrics.py).
#include "f_score.hpp"

#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::metrics {
namespace {
constexpr double kEpsilon = 1e-7;  // Keras's backend epsilon in every ratio
}

FBetaScore::FBetaScore(FBetaScoreOptions options) : FBetaScore(std::move(options), "FBetaScore") {}

FBetaScore::FBetaScore(FBetaScoreOptions options, const std::string& where) : options_(std::move(options)) {
  name_ = options_.name;
  const std::string& a = options_.average;
  check(a.empty() || a == "micro" || a == "macro" || a == "weighted", where,
        ": unknown average. Expected \"\" (no averaging), \"micro\", \"macro\" or \"weighted\"; received average=\"", a,
        "\".");
  check(options_.beta > 0, where, ": beta must be > 0; received beta=", options_.beta, ".");
  if (options_.threshold)
    check(*options_.threshold > 0 && *options_.threshold <= 1, where,
          ": threshold must satisfy 0 < threshold <= 1; received threshold=", *options_.threshold, ".");
}

void FBetaScore::update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) {
  check(y_true.rows() == y_pred.rows() && y_true.cols() == y_pred.cols(), class_name(),
        ": y_true and y_pred must have the same shape (samples x classes); received y_true of ", y_true.rows(), " x ",
        y_true.cols(), " and y_pred of ", y_pred.rows(), " x ", y_pred.cols(), ".");
  if (classes_ == 0) {
    classes_ = y_pred.cols();
    const Index slots = options_.average == "micro" ? 1 : classes_;
    for (auto* v : {&tp_, &fp_, &fn_, &support_}) v->setZero(slots);
  }
  check(y_pred.cols() == classes_, class_name(), ": expected y_pred with ", classes_,
        " columns, as in the first batch; received ", y_pred.cols(), ".");
  const bool micro = options_.average == "micro";
  for (Index i = 0; i < y_pred.rows(); ++i) {
    // Without a threshold the row's maximum is the positive, unless it is zero (|p| <= 1e-9): ties all count.
    const Scalar top = y_pred.row(i).maxCoeff();
    for (Index j = 0; j < y_pred.cols(); ++j) {
      const Scalar p = y_pred(i, j);
      const bool predicted = options_.threshold ? p > static_cast<Scalar>(*options_.threshold)
                                                : (p >= top && std::abs(p) > Scalar(1e-9));
      const double t = y_true(i, j);
      const double q = predicted ? 1.0 : 0.0;
      const double w = sample_weight(weights, i);
      const Index slot = micro ? 0 : j;
      tp_(slot) += w * q * t;
      fp_(slot) += w * q * (1.0 - t);
      fn_(slot) += w * (1.0 - q) * t;
      support_(slot) += w * t;
    }
  }
}

double FBetaScore::score(Index k) const {
  const double b2 = options_.beta * options_.beta;
  double precision = tp_(k) / (tp_(k) + fp_(k) + kEpsilon);
  double recall = tp_(k) / (tp_(k) + fn_(k) + kEpsilon);
  return (1 + b2) * precision * recall / (b2 * precision + recall + kEpsilon);
}

double FBetaScore::averaged() const {
  double combined = 0.0;
  if (options_.average == "weighted") {
    const double total = support_.sum() + kEpsilon;
    for (Index k = 0; k < tp_.size(); ++k) combined += score(k) * support_(k) / total;
    return combined;
  }
  for (Index k = 0; k < tp_.size(); ++k) combined += score(k);  // "micro" has a single pooled entry
  return tp_.size() == 0 ? 0.0 : combined / static_cast<double>(tp_.size());
}

std::vector<double> FBetaScore::results() const {
  if (!options_.average.empty()) return {averaged()};
  std::vector<double> scores;
  for (Index k = 0; k < tp_.size(); ++k) scores.push_back(score(k));
  return scores;
}

double FBetaScore::result() const {
  if (!options_.average.empty()) return averaged();
  check(tp_.size() <= 1, class_name(), " '", name_, "': with average \"\" (Keras None) there is one score per class (",
        tp_.size(), " here); call results(), or choose average \"micro\", \"macro\" or \"weighted\".");
  return tp_.size() == 0 ? 0.0 : score(0);
}

void FBetaScore::reset() {
  for (auto* v : {&tp_, &fp_, &fn_, &support_}) v->setZero();
}

nlohmann::json FBetaScore::config() const {
  auto c = Metric::config();
  c["average"] = options_.average.empty() ? nlohmann::json(nullptr) : nlohmann::json(options_.average);
  c["beta"] = options_.beta;
  c["threshold"] = options_.threshold ? nlohmann::json(*options_.threshold) : nlohmann::json(nullptr);
  return c;
}

F1Score::F1Score(F1ScoreOptions o)
    : FBetaScore({.average = std::move(o.average), .beta = 1.0, .threshold = o.threshold, .name = std::move(o.name)},
                 "F1Score") {}

nlohmann::json F1Score::config() const {
  auto c = FBetaScore::config();
  c.erase("beta");
  return c;
}

}  // namespace descent::metrics
