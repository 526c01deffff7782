// The new Keras losses in the loss registry: every class round-trips through JSON, every Keras string name resolves.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <map>

using namespace descent;

TEST_CASE("Every registered loss round-trips through to_json and from_json") {
  for (const auto& name : losses::class_names()) {
    CAPTURE(name);
    auto loss = losses::from_json(nlohmann::json{{"class_name", name}, {"config", nlohmann::json::object()}}, "loss");
    CHECK(loss->class_name() == name);
    auto again = losses::from_json(serialize(*loss), "loss");
    CHECK(again->class_name() == name);
    CHECK(again->config() == loss->config());
    CHECK(losses::get(loss->name())->class_name() == name);  // name() is a registered string name
  }
}

TEST_CASE("Keras's string names and aliases resolve to the Keras classes") {
  const std::map<std::string, std::string> expected = {
      {"huber", "Huber"},
      {"log_cosh", "LogCosh"},
      {"logcosh", "LogCosh"},
      {"hinge", "Hinge"},
      {"squared_hinge", "SquaredHinge"},
      {"categorical_hinge", "CategoricalHinge"},
      {"kl_divergence", "KLDivergence"},
      {"kld", "KLDivergence"},
      {"KLD", "KLDivergence"},
      {"kullback_leibler_divergence", "KLDivergence"},
      {"poisson", "Poisson"},
      {"mean_absolute_percentage_error", "MeanAbsolutePercentageError"},
      {"mape", "MeanAbsolutePercentageError"},
      {"MAPE", "MeanAbsolutePercentageError"},
      {"mean_squared_logarithmic_error", "MeanSquaredLogarithmicError"},
      {"msle", "MeanSquaredLogarithmicError"},
      {"MSLE", "MeanSquaredLogarithmicError"},
      {"cosine_similarity", "CosineSimilarity"},
      {"Huber", "Huber"},
      {"KLDivergence", "KLDivergence"},
  };
  for (const auto& [name, cls] : expected) {
    CAPTURE(name);
    CHECK(losses::get(name)->class_name() == cls);
  }
}

TEST_CASE("Huber's delta survives the round trip and Keras configs load") {
  auto loss = losses::from_json(
      nlohmann::json::parse(R"({"class_name": "Huber", "config": {"name": "huber_loss",
                               "reduction": "sum_over_batch_size", "delta": 0.25}})"),
      "loss");
  auto* huber = dynamic_cast<losses::Huber*>(loss.get());
  REQUIRE(huber != nullptr);
  CHECK(huber->options().delta == 0.25);
  auto cosine = losses::from_json(
      nlohmann::json::parse(R"({"class_name": "CosineSimilarity", "config": {"name": "cosine_similarity",
                               "reduction": "sum_over_batch_size", "axis": -1}})"),
      "loss");
  CHECK(cosine->class_name() == "CosineSimilarity");
}

TEST_CASE("Bad loss configs name the key") {
  CHECK_THROWS_WITH_AS(losses::from_json(nlohmann::json::parse(R"({"class_name": "Huber", "config": {"delta": -1}})"),
                                         "loss"),
                       doctest::Contains("received delta=-1"), Error);
  CHECK_THROWS_WITH_AS(
      losses::from_json(nlohmann::json::parse(R"({"class_name": "Poisson", "config": {"detla": 1}})"), "loss"),
      doctest::Contains("loss.config.detla: unknown key"), Error);
  CHECK_THROWS_WITH_AS(
      losses::from_json(nlohmann::json::parse(R"({"class_name": "CosineSimilarity", "config": {"axis": 0}})"),
                        "loss"),
      doctest::Contains("only axis -1 is supported"), Error);
  CHECK_THROWS_WITH_AS(losses::get(std::string("hinge_loss")), doctest::Contains("Valid losses:"), Error);
}
