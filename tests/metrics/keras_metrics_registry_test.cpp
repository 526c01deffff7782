// The new Keras metrics in the metric registry: names, class names, every loss as a metric with Keras's documented
// values, JSON round trips for every class, Keras configs, and bad configs.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <map>

using namespace descent;
using json = nlohmann::json;

namespace {
Matrix mat2(double a, double b, double c, double d) {
  Matrix m(2, 2);
  m << static_cast<Scalar>(a), static_cast<Scalar>(b), static_cast<Scalar>(c), static_cast<Scalar>(d);
  return m;
}
}  // namespace

TEST_CASE("Keras's metric names and class names resolve") {
  const std::map<std::string, std::string> expected = {
      {"precision", "Precision"},
      {"recall", "Recall"},
      {"auc", "AUC"},
      {"f1_score", "F1Score"},
      {"fbeta_score", "FBetaScore"},
      {"top_k_categorical_accuracy", "TopKCategoricalAccuracy"},
      {"root_mean_squared_error", "RootMeanSquaredError"},
      {"cosine_similarity", "CosineSimilarity"},
      {"Precision", "Precision"},
      {"AUC", "AUC"},
      {"F1Score", "F1Score"},
      {"RootMeanSquaredError", "RootMeanSquaredError"},
      {"TopKCategoricalAccuracy", "TopKCategoricalAccuracy"},
  };
  for (const auto& [name, cls] : expected) {
    CAPTURE(name);
    auto m = metrics::get(name, {});
    CHECK(m->class_name() == cls);
    CHECK(m->name() == name);  // the History key is the string given
  }
}

TEST_CASE("every loss name resolves through metrics::get") {
  for (const char* name : {"huber", "log_cosh", "logcosh", "hinge", "squared_hinge", "categorical_hinge",
                           "kl_divergence", "kld", "KLD", "poisson", "mean_absolute_percentage_error", "mape", "MAPE",
                           "mean_squared_logarithmic_error", "msle", "MSLE", "mse", "mae", "binary_crossentropy",
                           "categorical_crossentropy", "sparse_categorical_crossentropy"}) {
    CAPTURE(name);
    auto m = metrics::get(name, {});
    CHECK(m->name() == name);
  }
  for (const auto& cls : losses::class_names()) {
    CAPTURE(cls);
    CHECK(metrics::get(cls, {})->class_name() == cls);
  }
}

TEST_CASE("losses as metrics give Keras's documented metric values, exactly over uneven batches") {
  // The Keras metric docstrings (hinge_metrics.py, probabilistic_metrics.py, regression_metrics.py); each value
  // is derived by hand in the loss's own test file.
  Matrix t = mat2(0, 1, 0, 0);
  Matrix p6 = mat2(0.6, 0.4, 0.4, 0.6);
  Matrix p1 = mat2(1, 1, 0, 0);
  struct Case {
    const char* name;
    const Matrix* pred;
    double expected;
  };
  for (const Case& c : {Case{"hinge", &p6, 1.3}, Case{"squared_hinge", &p6, 1.86},
                        Case{"categorical_hinge", &p6, 1.4}, Case{"kld", &p6, 0.45814306},
                        Case{"poisson", &p1, 0.49999997}, Case{"mape", &p1, 2.5e8}, Case{"msle", &p1, 0.12011322},
                        Case{"logcosh", &p1, 0.10844523}, Case{"huber", &p6, 0.155}}) {
    CAPTURE(c.name);
    auto whole = metrics::get(c.name, {});
    whole->update(t, *c.pred);
    CHECK(whole->result() == doctest::Approx(c.expected).epsilon(1e-6));
    // Batches of 1 and 1 rows, then a third batch repeating row 0: (2 row0 + row1) / 3, not a mean of batch means.
    auto batched = metrics::get(c.name, {});
    batched->update(t.topRows(1), c.pred->topRows(1));
    batched->update(t.bottomRows(1), c.pred->bottomRows(1));
    CHECK(batched->result() == doctest::Approx(c.expected).epsilon(1e-6));
    auto row0 = metrics::get(c.name, {});
    row0->update(t.topRows(1), c.pred->topRows(1));
    batched->update(t.topRows(1), c.pred->topRows(1));
    CHECK(batched->result() == doctest::Approx((2 * row0->result() + (2 * c.expected - row0->result())) / 3));
  }
}

TEST_CASE("f1_score with average None refuses multi-output models, which logs cannot hold") {
  CHECK(metrics::get("f1_score", {.outputs = 1, .target_columns = 1})->class_name() == "F1Score");
  CHECK_THROWS_WITH_AS(metrics::get("f1_score", {.outputs = 3, .target_columns = 3}),
                       doctest::Contains("F1Score({.average = \"macro\"})"), Error);
}

TEST_CASE("every metric class round-trips through to_json and from_json") {
  for (const auto& cls : metrics::class_names()) {
    CAPTURE(cls);
    json once = serialize(*metrics::from_json(json{{"class_name", cls}, {"config", json::object()}}, "m"));
    CHECK(once["class_name"] == cls);
    CHECK(serialize(*metrics::from_json(once, "m")) == once);
  }
  std::vector<std::shared_ptr<metrics::Metric>> configured = {
      std::make_shared<metrics::Precision>(
          metrics::PrecisionOptions{.thresholds = {0.3}, .top_k = 2, .class_id = 1, .name = "p"}),
      std::make_shared<metrics::Recall>(metrics::RecallOptions{.thresholds = {0.2, 0.7}}),
      std::make_shared<metrics::AUC>(metrics::AUCOptions{.curve = "PR", .summation_method = "minoring",
                                                         .thresholds = {0.1, 0.4}, .from_logits = true}),
      std::make_shared<metrics::AUC>(
          metrics::AUCOptions{.num_thresholds = 50, .multi_label = true, .num_labels = 2, .label_weights = {1, 2}}),
      std::make_shared<metrics::F1Score>(metrics::F1ScoreOptions{.average = "weighted", .threshold = 0.4}),
      std::make_shared<metrics::FBetaScore>(metrics::FBetaScoreOptions{.average = "micro", .beta = 2.0}),
      std::make_shared<metrics::TopKCategoricalAccuracy>(metrics::TopKCategoricalAccuracyOptions{.k = 3}),
      std::make_shared<metrics::LossMetric>(std::make_shared<losses::Huber>(losses::HuberOptions{.delta = 0.3}),
                                            "huber"),
  };
  for (const auto& m : configured) {
    CAPTURE(m->class_name());
    json once = serialize(*m);
    auto again = metrics::from_json(once, "metric");
    CHECK(again->class_name() == m->class_name());
    CHECK(again->name() == m->name());
    CHECK(serialize(*again) == once);
  }
  // The loss's options survive as the metric's config, as in Keras's metric configs.
  CHECK(serialize(*configured.back())["config"]["delta"] == 0.3);
}

TEST_CASE("metric configs as Keras writes them load") {
  auto auc = metrics::from_json(json::parse(R"({"module": "keras.metrics", "class_name": "AUC", "config": {
      "name": "auc_1", "dtype": "float32", "num_thresholds": 200, "curve": "PR", "summation_method": "interpolation",
      "multi_label": false, "num_labels": null, "label_weights": null, "from_logits": false}})"),
                                "compile_config.metrics[0]");
  CHECK(auc->name() == "auc_1");
  CHECK(auc->config()["curve"] == "PR");
  auto precision = metrics::from_json(json::parse(R"({"class_name": "Precision", "config": {"name": "precision",
      "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}},
      "thresholds": [0.25, 0.75], "top_k": null, "class_id": null}})"),
                                      "m");
  CHECK(dynamic_cast<metrics::Precision&>(*precision).thresholds() == std::vector<double>{0.25, 0.75});
  auto mse = metrics::from_json(json::parse(R"({"class_name": "MeanSquaredError",
      "config": {"name": "mean_squared_error", "dtype": "float32"}})"), "m");
  CHECK(mse->class_name() == "MeanSquaredError");
  auto logcosh = metrics::from_json(json::parse(R"({"class_name": "LogCoshError",
      "config": {"name": "logcosh", "dtype": "float32"}})"), "m");
  CHECK(logcosh->class_name() == "LogCosh");
  CHECK(logcosh->name() == "logcosh");
  auto wrapped = metrics::from_json(json::parse(R"({"class_name": "MeanMetricWrapper",
      "config": {"name": "accuracy", "dtype": "float32", "fn": "binary_accuracy"}})"), "m");
  CHECK(wrapped->class_name() == "BinaryAccuracy");
  CHECK(wrapped->name() == "accuracy");
  CHECK(metrics::from_json(json("auc"), "m")->class_name() == "AUC");
}

TEST_CASE("bad metric configs name the place and the valid choices") {
  CHECK_THROWS_WITH_AS(metrics::from_json(json::parse(R"({"class_name": "AUC", "config": {"num_treshold": 3}})"),
                                          "metrics[1]"),
                       doctest::Contains("metrics[1].config.num_treshold: unknown key"), Error);
  CHECK_THROWS_WITH_AS(metrics::from_json(json::parse(R"({"class_name": "Precision", "config":
                                          {"thresholds": "0.5"}})"), "m"),
                       doctest::Contains("m.config.thresholds: expected a number or a list of numbers"), Error);
  CHECK_THROWS_WITH_AS(metrics::from_json(json::parse(R"({"class_name": "IoU", "config": {}})"), "metrics[0]"),
                       doctest::Contains("metrics[0].class_name: unknown metric \"IoU\""), Error);
  CHECK_THROWS_WITH_AS(metrics::from_json(json("aucc"), "metrics[0]"),
                       doctest::Contains("metrics[0]: unknown metric \"aucc\". Valid metrics: accuracy, acc"), Error);
  CHECK_THROWS_WITH_AS(metrics::get("aucc", {}), doctest::Contains("auc"), Error);
}
