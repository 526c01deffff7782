// AUC: Keras's documented value, hand-computed ROC and PR areas, independent trapezoid and PR integrations,
// summation methods, multi-label, logits, uneven batches, bad input.
#include "support/matrices.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <random>

using descent::testing::column;

using namespace descent;

namespace {

// Counts at Keras's default thresholds by direct comparison, written independently of the metric.
struct Curve {
  std::vector<double> tp, fp, fn, tn;
};

Curve brute_force_counts(const Matrix& y, const Matrix& p, int num_thresholds) {
  std::vector<double> thresholds = {-1e-7};
  for (int i = 1; i < num_thresholds - 1; ++i) thresholds.push_back(static_cast<double>(i) / (num_thresholds - 1));
  thresholds.push_back(1 + 1e-7);
  Curve c;
  for (double t : thresholds) {
    double tp = 0, fp = 0, fn = 0, tn = 0;
    for (Index i = 0; i < y.rows(); ++i) {
      bool positive = p(i, 0) > static_cast<Scalar>(t);
      if (y(i, 0) != 0)
        (positive ? tp : fn) += 1;
      else
        (positive ? fp : tn) += 1;
    }
    c.tp.push_back(tp);
    c.fp.push_back(fp);
    c.fn.push_back(fn);
    c.tn.push_back(tn);
  }
  return c;
}

double trapezoid_roc(const Curve& c) {
  double area = 0;
  for (std::size_t i = 0; i + 1 < c.tp.size(); ++i) {
    auto fpr = [&](std::size_t k) { return c.fp[k] / (c.fp[k] + c.tn[k]); };
    auto tpr = [&](std::size_t k) { return c.tp[k] / (c.tp[k] + c.fn[k]); };
    area += (fpr(i) - fpr(i + 1)) * (tpr(i) + tpr(i + 1)) / 2;
  }
  return area;
}

// Davis & Goadrich: between neighbouring thresholds, TP and FP move linearly; integrate precision over recall
// numerically (midpoint rule) instead of Keras's closed form.
double integrated_pr(const Curve& c) {
  const double positives = c.tp.front() + c.fn.front();
  double area = 0;
  for (std::size_t i = 0; i + 1 < c.tp.size(); ++i) {
    double dtp = c.tp[i] - c.tp[i + 1];
    if (dtp == 0) continue;
    const int steps = 20000;
    for (int s = 0; s < steps; ++s) {
      double u = (s + 0.5) / steps;  // from threshold i (u = 0) to i + 1 (u = 1)
      double tp = c.tp[i] + u * (c.tp[i + 1] - c.tp[i]);
      double pp = (c.tp[i] + c.fp[i]) + u * ((c.tp[i + 1] + c.fp[i + 1]) - (c.tp[i] + c.fp[i]));
      area += tp / pp * (dtp / positives) / steps;
    }
  }
  return area;
}

}  // namespace

TEST_CASE("AUC matches Keras's documented example") {
  // keras.metrics.AUC(num_thresholds=3), update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]) -> 0.75.
  // Thresholds [-1e-7, 0.5, 1 + 1e-7]: tp = [2, 1, 0], fp = [2, 0, 0] (0.5 is not above 0.5), fn = [0, 1, 2],
  // tn = [0, 2, 2]; recall [1, 0.5, 0], fp rate [1, 0, 0]; area (1 - 0)(1 + 0.5) / 2 + 0 = 0.75.
  metrics::AUC auc({.num_thresholds = 3});
  auc.update(column({0, 0, 1, 1}), column({0, 0.5, 0.3, 0.9}));
  CHECK(auc.result() == doctest::Approx(0.75));
  CHECK(auc.counts().tp(0, 0) == 2);
  CHECK(auc.counts().tp(1, 0) == 1);
  CHECK(auc.counts().fp(1, 0) == 0);
  CHECK(auc.counts().tn(2, 0) == 2);
  // Keras's sample_weight=[1, 0, 0, 1] keeps samples 0 and 3 only: separated perfectly, 1.0.
  metrics::AUC kept({.num_thresholds = 3});
  kept.update(column({0, 1}), column({0, 0.9}));
  CHECK(kept.result() == doctest::Approx(1.0));
}

TEST_CASE("AUC places Keras's 200 default thresholds") {
  metrics::AUC auc;
  const auto& t = auc.thresholds();
  REQUIRE(t.size() == 200);
  CHECK(t.front() == -1e-7);
  CHECK(t[1] == 1.0 / 199);
  CHECK(t[198] == 198.0 / 199);
  CHECK(t.back() == 1 + 1e-7);
  CHECK(auc.name() == "auc");
}

TEST_CASE("ROC AUC with distinct scores equals the fraction of correctly ordered pairs") {
  // Scores 0.8 (pos), 0.6 (neg), 0.4 (pos), 0.2 (neg): ordered pairs (pos above neg) are 0.8 > 0.6, 0.8 > 0.2,
  // 0.4 > 0.2, but not 0.4 < 0.6: 3 of 4 = 0.75. With 200 thresholds each score has its own bucket, and the
  // trapezoid over the curve's points is exactly this fraction.
  metrics::AUC auc;
  auc.update(column({1, 0, 1, 0}), column({0.8, 0.6, 0.4, 0.2}));
  CHECK(auc.result() == doctest::Approx(0.75));
}

TEST_CASE("PR AUC follows Davis & Goadrich's interpolation, by hand") {
  // Keras's example data with num_thresholds=3: tp = [2, 1, 0], fp = [2, 0, 0], fn = [0, 1, 2], P = tp + fp =
  // [4, 1, 0]. Interval 0: dtp = 1, slope = 1/3, intercept = 1 - 1/3 = 2/3, P ratio 4: (1/3)(1 + (2/3) ln 4) / 2.
  // Interval 1: dtp = 1, slope = 1, intercept 0, P_B = 0 so ratio 1: 1 * 1 / 2. Sum 0.8206988.
  metrics::AUC pr({.num_thresholds = 3, .curve = "PR"});
  pr.update(column({0, 0, 1, 1}), column({0, 0.5, 0.3, 0.9}));
  double expected = (1.0 / 3) * (1 + (2.0 / 3) * std::log(4.0)) / 2 + 0.5;
  CHECK(pr.result() == doctest::Approx(expected));
  CHECK(expected == doctest::Approx(0.8206988).epsilon(1e-6));
  Curve c{{2, 1, 0}, {2, 0, 0}, {0, 1, 2}, {0, 2, 2}};
  CHECK(integrated_pr(c) == doctest::Approx(expected).epsilon(1e-6));
}

TEST_CASE("AUC on random scores matches an independent trapezoid and PR integration") {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const Index n = 300;
  Matrix y(n, 1), p(n, 1);
  for (Index i = 0; i < n; ++i) {
    bool positive = uniform(rng) < 0.4;
    y(i, 0) = positive ? 1 : 0;
    // Overlapping score distributions, some exactly 0 and 1 to exercise the endpoint thresholds.
    double s = std::clamp(uniform(rng) * 0.8 + (positive ? 0.25 : 0.0) - 0.05, 0.0, 1.0);
    p(i, 0) = static_cast<Scalar>(s);
  }
  Curve c = brute_force_counts(y, p, 200);
  metrics::AUC roc;
  metrics::AUC pr({.curve = "PR"});
  // Uneven batches: 128, 128, 44.
  for (Index start = 0; start < n; start += 128) {
    Index rows = std::min<Index>(128, n - start);
    roc.update(y.middleRows(start, rows), p.middleRows(start, rows));
    pr.update(y.middleRows(start, rows), p.middleRows(start, rows));
  }
  for (std::size_t t = 0; t < c.tp.size(); ++t) {
    CAPTURE(t);
    CHECK(roc.counts().tp(static_cast<Index>(t), 0) == c.tp[t]);
    CHECK(roc.counts().fp(static_cast<Index>(t), 0) == c.fp[t]);
  }
  double expected_roc = trapezoid_roc(c);
  CHECK(expected_roc > 0.6);
  CHECK(expected_roc < 0.95);
  CHECK(roc.result() == doctest::Approx(expected_roc).epsilon(1e-12));
  CHECK(pr.result() == doctest::Approx(integrated_pr(c)).epsilon(1e-6));
}

TEST_CASE("minoring and majoring take the lower and upper heights") {
  // Keras's example: recall [1, 0.5, 0] over fp rate [1, 0, 0]; only the first interval has width 1.
  metrics::AUC minoring({.num_thresholds = 3, .summation_method = "minoring"});
  metrics::AUC majoring({.num_thresholds = 3, .summation_method = "Majoring"});
  minoring.update(column({0, 0, 1, 1}), column({0, 0.5, 0.3, 0.9}));
  majoring.update(column({0, 0, 1, 1}), column({0, 0.5, 0.3, 0.9}));
  CHECK(minoring.result() == doctest::Approx(0.5));
  CHECK(majoring.result() == doctest::Approx(1.0));
  CHECK(majoring.config()["summation_method"] == "majoring");
}

TEST_CASE("multi-label AUC averages per-column areas, optionally weighted") {
  // Column 0 is perfectly separated (1.0); column 1 is the 3-of-4 ordering above (0.75).
  Matrix y(4, 2), p(4, 2);
  y << 1, 1, 0, 0, 1, 1, 0, 0;
  p << 0.9, 0.8, 0.1, 0.6, 0.7, 0.4, 0.2, 0.2;
  metrics::AUC mean({.multi_label = true});
  mean.update(y, p);
  CHECK(mean.result() == doctest::Approx(0.875));
  metrics::AUC weighted({.multi_label = true, .label_weights = {1, 3}});
  weighted.update(y, p);
  CHECK(weighted.result() == doctest::Approx((1 + 3 * 0.75) / 4));
  // Flattened (the default), the 8 pairs give one curve.
  metrics::AUC flat;
  flat.update(y, p);
  CHECK(flat.counts().labels() == 1);
}

TEST_CASE("AUC from logits applies the sigmoid first") {
  Matrix y = column({1, 0, 1, 0});
  Matrix probabilities = column({0.8, 0.6, 0.4, 0.2});
  Matrix logits = (probabilities.array() / (1 - probabilities.array())).log().matrix();
  metrics::AUC from_logits({.from_logits = true});
  from_logits.update(y, logits);
  CHECK(from_logits.result() == doctest::Approx(0.75));
}

TEST_CASE("AUC with explicit thresholds adds the endpoints") {
  metrics::AUC auc({.thresholds = {0.5}});
  CHECK(auc.thresholds() == std::vector<double>{-1e-7, 0.5, 1 + 1e-7});
  auc.update(column({0, 0, 1, 1}), column({0, 0.5, 0.3, 0.9}));
  CHECK(auc.result() == doctest::Approx(0.75));  // the same thresholds as num_thresholds=3
  metrics::AUC uneven({.thresholds = {0.35, 0.25}});  // sorted: 0.25, 0.35, not evenly spread
  uneven.update(column({0, 0, 1, 1}), column({0, 0.5, 0.3, 0.9}));
  // > -eps: tp 2, fp 2; > 0.25: tp 2 (0.3, 0.9), fp 1 (0.5); > 0.35: tp 1, fp 1; > 1: 0, 0.
  // fp rate [1, 0.5, 0.5, 0], recall [1, 1, 0.5, 0]: 0.5 * 1 + 0 + 0.5 * 0.25 = 0.625.
  CHECK(uneven.result() == doctest::Approx(0.625));
  CHECK(uneven.config()["thresholds"] == nlohmann::json({0.25, 0.35}));
}

TEST_CASE("AUC rejects bad options and inputs") {
  CHECK_THROWS_WITH_AS(metrics::AUC({.num_thresholds = 1}), doctest::Contains("received num_thresholds=1"), Error);
  CHECK_THROWS_WITH_AS(metrics::AUC({.curve = "PRC"}), doctest::Contains("Expected \"ROC\" or \"PR\""), Error);
  CHECK_THROWS_WITH_AS(metrics::AUC({.summation_method = "mean"}), doctest::Contains("received summation_method"),
                       Error);
  CHECK_THROWS_WITH_AS(metrics::AUC({.thresholds = {-0.1}}), doctest::Contains("must be in [0, 1]"), Error);
  CHECK_THROWS_WITH_AS(metrics::AUC({.num_labels = 3}), doctest::Contains("num_labels is needed only"), Error);
  metrics::AUC auc;
  CHECK_THROWS_WITH_AS(auc.update(column({0, 1}), column({0.5})), doctest::Contains("AUC: y_true and y_pred"), Error);
  metrics::AUC two({.multi_label = true, .num_labels = 2});
  CHECK_THROWS_WITH_AS(two.update(Matrix::Zero(2, 3), Matrix::Zero(2, 3)), doctest::Contains("label columns"),
                       Error);
}
