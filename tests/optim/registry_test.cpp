// The optimizer registry: names, to_json / from_json round trips for every optimizer, Keras configs, refusals.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace descent;
using json = nlohmann::json;

TEST_CASE("optim::get resolves names case-insensitively and class names exactly") {
  for (const char* name : {"sgd", "SGD", "Sgd"}) {
    CAPTURE(name);
    auto opt = optim::get(name);
    CHECK(opt->class_name() == "SGD");
    CHECK(opt->learning_rate() == 0.01);
  }
  for (const char* name : {"gd", "GD"}) {
    CAPTURE(name);
    auto opt = optim::get(name);
    CHECK(opt->class_name() == "GD");
    CHECK(opt->full_batch());
  }
  CHECK(optim::from_json(json("sgd"), "optimizer")->class_name() == "SGD");
  optim::OptimizerId id = optim::SGD({.learning_rate = 0.3});
  CHECK(optim::get(id)->learning_rate() == 0.3);
}

TEST_CASE("unknown optimizer names fail and list the valid ones") {
  CHECK_THROWS_WITH_AS(optim::get("no_such_optimizer"), doctest::Contains("Unknown optimizer \"no_such_optimizer\". Valid optimizers: "),
                       Error);
  CHECK_THROWS_WITH_AS(optim::get("no_such_optimizer"), doctest::Contains("sgd"), Error);
  CHECK_THROWS_WITH_AS(optim::get("no_such_optimizer"), doctest::Contains(" gd"), Error);
  CHECK_THROWS_WITH_AS(optim::from_json(json("no_such_optimizer"), "compile.optimizer"),
                       doctest::Contains("compile.optimizer: unknown optimizer \"no_such_optimizer\""), Error);
  CHECK_THROWS_WITH_AS(optim::from_json(json{{"class_name", "NoSuchOptimizer"}, {"config", json::object()}}, "opt"),
                       doctest::Contains("opt.class_name: unknown optimizer \"NoSuchOptimizer\""), Error);
}

TEST_CASE("to_json then from_json gives the same config for every registered optimizer") {
  for (const std::string& name : optim::class_names()) {
    CAPTURE(name);
    json once = serialize(*optim::get(name));
    CHECK(once["class_name"] == name);
    CHECK(serialize(*optim::from_json(once, "optimizer")) == once);
  }
  std::vector<std::shared_ptr<optim::Optimizer>> configured = {
      std::make_shared<optim::SGD>(optim::SGDOptions{.learning_rate = 0.05, .momentum = 0.9, .nesterov = true}),
      std::make_shared<optim::GD>(
          optim::GDOptions{.learning_rate = 0.2, .tolerance = 1e-3, .momentum = 0.25, .nesterov = true}),
  };
  for (const auto& opt : configured) {
    CAPTURE(opt->class_name());
    json once = serialize(*opt);
    auto again = optim::from_json(once, "optimizer");
    CHECK(again->class_name() == opt->class_name());
    CHECK(serialize(*again) == once);
    CHECK(again->learning_rate() == opt->learning_rate());
  }
  auto gd = std::dynamic_pointer_cast<optim::GD>(optim::from_json(serialize(*configured[1]), "o"));
  REQUIRE(gd);
  CHECK(gd->tolerance() == 1e-3);
  CHECK(gd->options().momentum == 0.25);
  CHECK(gd->options().nesterov);
}

TEST_CASE("optimizer configs as Keras 3 and Keras 2 write them load") {
  auto keras3 = optim::from_json(json::parse(R"({
      "module": "keras.optimizers", "class_name": "SGD", "registered_name": null,
      "config": {"name": "SGD", "learning_rate": 0.05, "weight_decay": null, "clipnorm": null,
                 "global_clipnorm": null, "clipvalue": null, "use_ema": false, "ema_momentum": 0.99,
                 "ema_overwrite_frequency": null, "loss_scale_factor": null, "gradient_accumulation_steps": null,
                 "momentum": 0.9, "nesterov": true}})"),
                                 "compile_config.optimizer");
  auto sgd = std::dynamic_pointer_cast<optim::SGD>(keras3);
  REQUIRE(sgd);
  CHECK(sgd->learning_rate() == 0.05);
  CHECK(sgd->options().momentum == 0.9);
  CHECK(sgd->options().nesterov);

  auto keras2 = optim::from_json(
      json::parse(R"({"class_name": "SGD", "config": {"name": "SGD", "lr": 0.125, "decay": 0.0, "momentum": 0.0,
                                                       "nesterov": false}})"),
      "training_config.optimizer_config");
  CHECK(keras2->learning_rate() == 0.125);
}

TEST_CASE("optimizer configs with unsupported or misspelled options are refused") {
  auto sgd_with = [](json config) { return json{{"class_name", "SGD"}, {"config", config}}; };
  CHECK_THROWS_WITH_AS(optim::from_json(sgd_with({{"loss_scale_factor", 128.0}}), "o"),
                       doctest::Contains("o.config.loss_scale_factor: loss_scale_factor is not supported"), Error);
  CHECK_THROWS_WITH_AS(optim::from_json(sgd_with({{"use_ema", true}}), "o"),
                       doctest::Contains("o.config.use_ema: EMA is not supported"), Error);
  CHECK_THROWS_WITH_AS(optim::from_json(sgd_with({{"decay", 0.01}}), "o"),
                       doctest::Contains("o.config.decay: learning-rate decay is not supported"), Error);
  CHECK_THROWS_WITH_AS(optim::from_json(sgd_with({{"momentun", 0.9}}), "o"),
                       doctest::Contains("o.config.momentun: unknown key \"momentun\""), Error);
  CHECK_THROWS_WITH_AS(optim::from_json(sgd_with({{"momentum", 1.5}}), "o"),
                       doctest::Contains("expected momentum in [0, 1]"), Error);
  CHECK_THROWS_WITH_AS(optim::from_json(sgd_with({{"learning_rate", "fast"}}), "o"),
                       doctest::Contains("o.config.learning_rate: expected a number"), Error);
  CHECK_THROWS_WITH_AS(optim::from_json(sgd_with({{"learning_rate", -1}}), "o"),
                       doctest::Contains("learning_rate=-1"), Error);
  CHECK_THROWS_WITH_AS(
      optim::from_json(json{{"class_name", "GD"}, {"config", {{"tolerance", -1}}}}, "o"),
      doctest::Contains("expected tolerance >= 0"), Error);
  CHECK_NOTHROW(optim::from_json(sgd_with({{"loss_scale_factor", nullptr}, {"clipnorm", nullptr}}), "o"));
}
