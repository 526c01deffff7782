// Precision and Recall (Keras 3 keras/src/metrics/confusion_metrics.py).
#include "precision_recall.hpp"

#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

namespace descent::metrics {

ThresholdedRatio::ThresholdedRatio(const std::string& where, std::vector<double> thresholds,
                                   std::optional<int> top_k, std::optional<int> class_id, std::string name)
    : init_thresholds_(thresholds) {
  name_ = std::move(name);
  for (double t : thresholds)
    check(t >= 0 && t <= 1, where, ": threshold values must be in [0, 1]. Expected 0 <= t <= 1; received ", t, ".");
  check(!top_k || *top_k >= 1, where, ": top_k must be a positive integer; received top_k=", top_k.value_or(0), ".");
  check(!class_id || *class_id >= 0, where, ": class_id must be a column index >= 0; received class_id=",
        class_id.value_or(0), ".");
  if (thresholds.empty()) thresholds = {top_k ? kNegInf : 0.5};
  setup_.evenly = evenly_distributed(thresholds);
  setup_.thresholds = std::move(thresholds);
  setup_.top_k = top_k;
  setup_.class_id = class_id;
  counts_.tp.setZero(static_cast<Index>(setup_.thresholds.size()), 1);
  counts_.fp = counts_.tn = counts_.fn = counts_.tp;
}

void ThresholdedRatio::update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) {
  counts_.update(y_true, y_pred, weights, setup_, class_name());
}

std::vector<double> ThresholdedRatio::results() const {
  std::vector<double> values;
  for (Index t = 0; t < counts_.tp.rows(); ++t) values.push_back(ratio(t));
  return values;
}

double ThresholdedRatio::result() const {
  check(counts_.tp.rows() == 1, class_name(), " '", name_, "': with ", counts_.tp.rows(),
        " thresholds there is one result per threshold; call results(), or give a single threshold.");
  return ratio(0);
}

nlohmann::json ThresholdedRatio::config() const {
  auto c = Metric::config();
  if (init_thresholds_.empty())
    c["thresholds"] = nullptr;
  else if (init_thresholds_.size() == 1)
    c["thresholds"] = init_thresholds_.front();
  else
    c["thresholds"] = init_thresholds_;
  c["top_k"] = setup_.top_k ? nlohmann::json(*setup_.top_k) : nlohmann::json(nullptr);
  c["class_id"] = setup_.class_id ? nlohmann::json(*setup_.class_id) : nlohmann::json(nullptr);
  return c;
}

Precision::Precision(PrecisionOptions o)
    : ThresholdedRatio("Precision", std::move(o.thresholds), o.top_k, o.class_id, std::move(o.name)) {}

double Precision::ratio(Index t) const { return divide_no_nan(counts_.tp(t, 0), counts_.tp(t, 0) + counts_.fp(t, 0)); }

Recall::Recall(RecallOptions o)
    : ThresholdedRatio("Recall", std::move(o.thresholds), o.top_k, o.class_id, std::move(o.name)) {}

double Recall::ratio(Index t) const { return divide_no_nan(counts_.tp(t, 0), counts_.tp(t, 0) + counts_.fn(t, 0)); }

}  // namespace descent::metrics
