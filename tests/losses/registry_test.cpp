// The loss registry: names, aliases, to_json / from_json round trips for every loss, strict config reading.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace descent;
using json = nlohmann::json;

TEST_CASE("losses::get resolves Keras function names, aliases and class names") {
  const std::pair<const char*, const char*> names[] = {
      {"binary_crossentropy", "BinaryCrossentropy"},
      {"BinaryCrossentropy", "BinaryCrossentropy"},
      {"categorical_crossentropy", "CategoricalCrossentropy"},
      {"CategoricalCrossentropy", "CategoricalCrossentropy"},
      {"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"},
      {"SparseCategoricalCrossentropy", "SparseCategoricalCrossentropy"},
      {"mean_squared_error", "MeanSquaredError"},
      {"mse", "MeanSquaredError"},
      {"MSE", "MeanSquaredError"},
      {"MeanSquaredError", "MeanSquaredError"},
      {"mean_absolute_error", "MeanAbsoluteError"},
      {"mae", "MeanAbsoluteError"},
      {"MAE", "MeanAbsoluteError"},
  };
  for (auto [name, cls] : names) {
    CAPTURE(name);
    CHECK(losses::get(name)->class_name() == cls);
    CHECK(losses::from_json(json(name), "loss")->class_name() == cls);
  }
  // String names give Keras's defaults.
  auto bce = std::dynamic_pointer_cast<losses::BinaryCrossentropy>(losses::get("binary_crossentropy"));
  REQUIRE(bce);
  CHECK_FALSE(bce->options().from_logits);
  CHECK(bce->options().label_smoothing == 0.0);
  // An object passes through get() unchanged.
  losses::LossId id = losses::CategoricalCrossentropy({.label_smoothing = 0.1});
  CHECK(std::dynamic_pointer_cast<losses::CategoricalCrossentropy>(losses::get(id))->options().label_smoothing == 0.1);
}

TEST_CASE("unknown loss names fail and list the valid ones") {
  CHECK_THROWS_WITH_AS(losses::get("binary_cross_entropy"),
                       doctest::Contains("Unknown loss \"binary_cross_entropy\". Valid losses: "), Error);
  CHECK_THROWS_WITH_AS(losses::get("no_such_loss"), doctest::Contains("binary_crossentropy"), Error);
  CHECK_THROWS_WITH_AS(losses::get("no_such_loss"), doctest::Contains("mse"), Error);
  CHECK_THROWS_WITH_AS(losses::from_json(json("no_such_loss"), "compile.loss"),
                       doctest::Contains("compile.loss: unknown loss \"no_such_loss\""), Error);
  CHECK_THROWS_WITH_AS(losses::from_json(json{{"class_name", "NoSuchLoss"}, {"config", json::object()}}, "c.loss"),
                       doctest::Contains("c.loss.class_name: unknown loss \"NoSuchLoss\""), Error);
}

TEST_CASE("to_json then from_json gives the same config for every registered loss") {
  for (const std::string& name : losses::class_names()) {
    CAPTURE(name);
    json once = serialize(*losses::get(name));
    CHECK(once["class_name"] == name);
    CHECK(serialize(*losses::from_json(once, "loss")) == once);
  }
  // Non-default options survive too.
  std::vector<std::shared_ptr<losses::Loss>> configured = {
      std::make_shared<losses::BinaryCrossentropy>(losses::BinaryCrossentropyOptions{.from_logits = true,
                                                                                     .label_smoothing = 0.2}),
      std::make_shared<losses::CategoricalCrossentropy>(
          losses::CategoricalCrossentropyOptions{.from_logits = true, .label_smoothing = 0.05}),
      std::make_shared<losses::SparseCategoricalCrossentropy>(
          losses::SparseCategoricalCrossentropyOptions{.from_logits = true}),
  };
  for (const auto& loss : configured) {
    CAPTURE(loss->class_name());
    json once = serialize(*loss);
    CHECK(once["config"]["from_logits"] == true);
    auto again = losses::from_json(once, "loss");
    CHECK(serialize(*again) == once);
  }
}

TEST_CASE("loss configs as Keras 3 writes them load, and unsupported options are refused") {
  auto keras3 = losses::from_json(json::parse(R"({
      "module": "keras.losses", "class_name": "BinaryCrossentropy", "registered_name": null,
      "config": {"name": "binary_crossentropy", "reduction": "sum_over_batch_size", "from_logits": true,
                 "label_smoothing": 0.1, "axis": -1, "dtype": null}})"),
                                  "compile_config.loss");
  auto bce = std::dynamic_pointer_cast<losses::BinaryCrossentropy>(keras3);
  REQUIRE(bce);
  CHECK(bce->options().from_logits);
  CHECK(bce->options().label_smoothing == 0.1);

  auto with = [](json config) { return json{{"class_name", "BinaryCrossentropy"}, {"config", config}}; };
  CHECK_THROWS_WITH_AS(losses::from_json(with({{"reduction", "sum"}}), "l"),
                       doctest::Contains("l.config.reduction: only \"sum_over_batch_size\" is supported"), Error);
  CHECK_THROWS_WITH_AS(losses::from_json(with({{"axis", 0}}), "l"), doctest::Contains("l.config.axis"), Error);
  CHECK_THROWS_WITH_AS(losses::from_json(with({{"from_logit", true}}), "l"),
                       doctest::Contains("l.config.from_logit: unknown key \"from_logit\""), Error);
  CHECK_THROWS_WITH_AS(losses::from_json(with({{"from_logits", "yes"}}), "l"),
                       doctest::Contains("l.config.from_logits: expected true or false"), Error);
  CHECK_THROWS_WITH_AS(losses::from_json(with({{"label_smoothing", 3}}), "l"),
                       doctest::Contains("expected label_smoothing in [0, 1]"), Error);
  CHECK_THROWS_WITH_AS(
      losses::from_json(json{{"class_name", "SparseCategoricalCrossentropy"}, {"config", {{"ignore_class", 0}}}}, "l"),
      doctest::Contains("l.config.ignore_class: ignore_class is not supported"), Error);
}
