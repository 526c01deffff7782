// AUC (Keras 3 keras/src/metrics/confusion_metrics.py, AUC; thresholds and counts as metrics_utils.py).
#include "auc.hpp"

#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace descent::metrics {
namespace {

constexpr double kEpsilon = 1e-7;  // Keras's backend epsilon, for the endpoint thresholds

std::string normalized_curve(const std::string& curve) {
  if (curve == "ROC" || curve == "roc") return "ROC";
  if (curve == "PR" || curve == "pr") return "PR";
  fail(str("AUC: unknown curve. Expected \"ROC\" or \"PR\"; received curve=\"", curve, "\"."));
}

std::string normalized_summation(const std::string& method) {
  for (const char* valid : {"interpolation", "majoring", "minoring"}) {
    std::string capitalized = valid;
    capitalized[0] = static_cast<char>(capitalized[0] - 'a' + 'A');
    if (method == valid || method == capitalized) return valid;
  }
  fail(str("AUC: unknown summation_method. Expected \"interpolation\", \"majoring\" or \"minoring\"; received "
           "summation_method=\"",
           method, "\"."));
}

}  // namespace

AUC::AUC(AUCOptions options) : options_(std::move(options)) {
  name_ = options_.name;
  options_.curve = normalized_curve(options_.curve);
  options_.summation_method = normalized_summation(options_.summation_method);
  std::vector<double> inner;
  if (!options_.thresholds.empty()) {
    for (double t : options_.thresholds)
      check(t >= 0 && t <= 1, "AUC: threshold values must be in [0, 1]. Expected 0 <= t <= 1; received ", t, ".");
    inner = options_.thresholds;
    std::sort(inner.begin(), inner.end());
    options_.num_thresholds = static_cast<int>(inner.size()) + 2;
    std::vector<double> with_ends = inner;
    with_ends.insert(with_ends.begin(), 0.0);
    with_ends.push_back(1.0);
    setup_.evenly = evenly_distributed(with_ends);
  } else {
    check(options_.num_thresholds > 1, "AUC: num_thresholds must be an integer > 1; received num_thresholds=",
          options_.num_thresholds, ".");
    for (int i = 0; i < options_.num_thresholds - 2; ++i)
      inner.push_back((i + 1) * 1.0 / (options_.num_thresholds - 1));
    setup_.evenly = true;
  }
  // Endpoints below 0 and above 1 catch predictions of exactly 0 and 1.
  setup_.thresholds.push_back(0.0 - kEpsilon);
  setup_.thresholds.insert(setup_.thresholds.end(), inner.begin(), inner.end());
  setup_.thresholds.push_back(1.0 + kEpsilon);
  check(options_.multi_label || !options_.num_labels, "AUC: num_labels is needed only when multi_label is true; "
        "received num_labels=", options_.num_labels.value_or(0), ".");
  check(!options_.num_labels || *options_.num_labels > 0, "AUC: num_labels must be positive; received num_labels=",
        options_.num_labels.value_or(0), ".");
  for (double w : options_.label_weights)
    check(w >= 0, "AUC: label_weights must be non-negative; received ", w, ".");
  setup_.multi_label = options_.multi_label;
  // Multi-label weights average the per-label AUCs instead of weighting the counts.
  if (!options_.multi_label) setup_.label_weights = options_.label_weights;
  const Index labels = options_.multi_label ? options_.num_labels.value_or(0) : 1;
  if (labels > 0)
    for (auto* m : {&counts_.tp, &counts_.fp, &counts_.tn, &counts_.fn})
      m->setZero(static_cast<Index>(setup_.thresholds.size()), labels);
}

void AUC::update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) {
  if (options_.multi_label && !options_.label_weights.empty())
    check(static_cast<Index>(options_.label_weights.size()) == y_pred.cols(), "AUC: expected one label weight per "
          "column of y_pred (", y_pred.cols(), "); received ", options_.label_weights.size(), " label_weights.");
  if (!options_.from_logits) {
    counts_.update(y_true, y_pred, weights, setup_, "AUC");
    return;
  }
  probabilities_ = (Scalar(1) + (-y_pred.array()).exp()).inverse().matrix();
  counts_.update(y_true, probabilities_, weights, setup_, "AUC");
}

void AUC::reset() { counts_.reset(); }

double AUC::interpolated_pr_area(Index label) const {
  // Between thresholds A (lower) and B, TP and P = TP + FP vary linearly, so precision = TP / P follows
  // (TP_A + slope (P - P_A)) / P; integrating over recall gives slope (dTP + intercept log(P_A / P_B)) / positives.
  const auto& tp = counts_.tp;
  const auto& fp = counts_.fp;
  const auto& fn = counts_.fn;
  double total = 0.0;
  for (Index i = 0; i + 1 < tp.rows(); ++i) {
    double dtp = tp(i, label) - tp(i + 1, label);
    double p_a = tp(i, label) + fp(i, label);
    double p_b = tp(i + 1, label) + fp(i + 1, label);
    double slope = divide_no_nan(dtp, std::max(p_a - p_b, 0.0));
    double intercept = tp(i + 1, label) - slope * p_b;
    double ratio = (p_a > 0 && p_b > 0) ? divide_no_nan(p_a, std::max(p_b, 0.0)) : 1.0;
    total += divide_no_nan(slope * (dtp + intercept * std::log(ratio)),
                           std::max(tp(i + 1, label) + fn(i + 1, label), 0.0));
  }
  return total;
}

double AUC::area(Index label) const {
  if (options_.curve == "PR" && options_.summation_method == "interpolation") return interpolated_pr_area(label);
  const auto& c = counts_;
  auto point = [&](Index t) {  // (x, y) of the curve at threshold t
    double recall = divide_no_nan(c.tp(t, label), c.tp(t, label) + c.fn(t, label));
    if (options_.curve == "ROC")
      return std::pair{divide_no_nan(c.fp(t, label), c.fp(t, label) + c.tn(t, label)), recall};
    return std::pair{recall, divide_no_nan(c.tp(t, label), c.tp(t, label) + c.fp(t, label))};
  };
  double total = 0.0;
  for (Index t = 0; t + 1 < c.tp.rows(); ++t) {
    auto [x0, y0] = point(t);
    auto [x1, y1] = point(t + 1);
    double height = options_.summation_method == "interpolation" ? (y0 + y1) / 2
                    : options_.summation_method == "minoring"    ? std::min(y0, y1)
                                                                 : std::max(y0, y1);
    total += (x0 - x1) * height;
  }
  return total;
}

double AUC::result() const {
  if (counts_.labels() == 0) return 0.0;
  if (!options_.multi_label) return area(0);
  double sum = 0.0, weights = 0.0;
  for (Index label = 0; label < counts_.labels(); ++label) {
    double w = options_.label_weights.empty() ? 1.0 : options_.label_weights[static_cast<std::size_t>(label)];
    sum += w * area(label);
    weights += w;
  }
  return divide_no_nan(sum, weights);
}

nlohmann::json AUC::config() const {
  auto c = Metric::config();
  c["num_thresholds"] = options_.num_thresholds;
  c["curve"] = options_.curve;
  c["summation_method"] = options_.summation_method;
  c["multi_label"] = options_.multi_label;
  c["num_labels"] = options_.num_labels ? nlohmann::json(*options_.num_labels) : nlohmann::json(nullptr);
  c["label_weights"] =
      options_.label_weights.empty() ? nlohmann::json(nullptr) : nlohmann::json(options_.label_weights);
  c["from_logits"] = options_.from_logits;
  if (!options_.thresholds.empty())
    c["thresholds"] = std::vector<double>(setup_.thresholds.begin() + 1, setup_.thresholds.end() - 1);
  return c;
}

}  // namespace descent::metrics
