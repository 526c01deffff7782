// The optimizer table: every class by name and by JSON, round trips with non-default options, Keras 3 configs.
#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace descent;
using namespace descent::optim;
using nlohmann::json;

namespace {

// One optimizer per class with every option away from its default, so a dropped key shows in the round trip.
std::vector<std::shared_ptr<Optimizer>> non_default_optimizers() {
  return {
      std::make_shared<SGD>(SGDOptions{.learning_rate = 0.2, .momentum = 0.5, .nesterov = true, .weight_decay = 0.01,
                                       .clipnorm = 1.5}),
      std::make_shared<GD>(GDOptions{.learning_rate = 0.3, .tolerance = 1e-3, .momentum = 0.1, .clipvalue = 2.0}),
      std::make_shared<Adam>(AdamOptions{.learning_rate = 0.5, .beta_1 = 0.5, .beta_2 = 0.67, .epsilon = 1e-5,
                                         .amsgrad = true, .global_clipnorm = 3.0}),
      std::make_shared<AdamW>(AdamWOptions{.learning_rate = 0.5, .weight_decay = 0.008, .beta_1 = 0.5,
                                           .beta_2 = 0.67, .epsilon = 1e-5, .amsgrad = true}),
      std::make_shared<Nadam>(NadamOptions{.learning_rate = 0.5, .beta_1 = 0.5, .beta_2 = 0.67, .epsilon = 1e-5,
                                           .weight_decay = 0.1}),
      std::make_shared<Adamax>(AdamaxOptions{.learning_rate = 0.5, .beta_1 = 0.8, .beta_2 = 0.95, .epsilon = 1e-5}),
      std::make_shared<RMSprop>(RMSpropOptions{.learning_rate = 0.5, .rho = 0.8, .momentum = 0.05, .epsilon = 1e-6,
                                               .centered = true}),
      std::make_shared<Adagrad>(AdagradOptions{.learning_rate = 0.5, .initial_accumulator_value = 0.2,
                                               .epsilon = 1e-5}),
      std::make_shared<Adadelta>(AdadeltaOptions{
          .learning_rate = ExponentialDecay({.initial_learning_rate = 1.0, .decay_steps = 10, .decay_rate = 0.9}),
          .rho = 0.9, .epsilon = 1e-5}),
  };
}

}  // namespace

TEST_CASE("Every optimizer class round-trips through JSON, with defaults and with non-default options") {
  std::vector<std::string> seen;
  for (const auto& opt : non_default_optimizers()) {
    json j = serialize(*opt);
    CAPTURE(j.dump());
    auto back = from_json(j, "optimizer");
    CHECK(back->class_name() == opt->class_name());
    CHECK(serialize(*back) == j);
    CHECK(back->slot_names() == opt->slot_names());
    seen.push_back(opt->class_name());
  }
  std::sort(seen.begin(), seen.end());
  CHECK(seen == class_names());  // every registered class was covered

  for (const auto& name : class_names()) {
    CAPTURE(name);
    auto made = get(name);
    CHECK(made->class_name() == name);
    CHECK(serialize(*from_json(serialize(*made), "optimizer")) == serialize(*made));
  }
}

TEST_CASE("String names are Keras's, case-insensitive, with Keras's defaults") {
  CHECK(get(std::string("adam"))->class_name() == "Adam");
  CHECK(get(std::string("adamw"))->class_name() == "AdamW");
  CHECK(get(std::string("nadam"))->class_name() == "Nadam");
  CHECK(get(std::string("adamax"))->class_name() == "Adamax");
  CHECK(get(std::string("rmsprop"))->class_name() == "RMSprop");
  CHECK(get(std::string("adagrad"))->class_name() == "Adagrad");
  CHECK(get(std::string("adadelta"))->class_name() == "Adadelta");
  CHECK(get(std::string("RMSProp"))->class_name() == "RMSprop");
  CHECK(get(std::string("adam"))->learning_rate() == 0.001);
  CHECK(get(std::string("adagrad"))->learning_rate() == 0.001);  // Keras's default; TF.js's string form uses 0.01
  CHECK(get(std::string("adadelta"))->config()["rho"] == 0.95);
  CHECK_THROWS_WITH_AS(get(std::string("adamm")), doctest::Contains("Valid optimizers: adadelta, adagrad, adam"), Error);
}

TEST_CASE("A Keras 3 compile_config optimizer reads with all its keys") {
  // The optimizer object of docs/FORMATS.md's Keras 3 to_json() example.
  json keras3 = json::parse(R"({"module": "keras.optimizers", "class_name": "Adam", "config": {
      "name": "adam", "learning_rate": 0.0010000000474974513, "weight_decay": null, "clipnorm": null,
      "global_clipnorm": null, "clipvalue": null, "use_ema": false, "ema_momentum": 0.99,
      "ema_overwrite_frequency": null, "loss_scale_factor": null, "gradient_accumulation_steps": null,
      "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}, "registered_name": null})");
  auto adam = from_json(keras3, "compile_config.optimizer");
  CHECK(adam->class_name() == "Adam");
  CHECK(adam->learning_rate() == doctest::Approx(0.001));
  CHECK(adam->config()["beta_2"] == 0.999);

  // Keras 2 legacy configs: "lr" and a zero "decay".
  auto old = from_json(json::parse(R"({"class_name": "RMSprop", "config": {"name": "RMSprop", "lr": 0.01,
      "rho": 0.9, "decay": 0.0, "epsilon": 1e-07, "centered": false, "momentum": 0.0}})"), "training_config");
  CHECK(old->learning_rate() == doctest::Approx(0.01));

  CHECK_THROWS_WITH_AS(from_json(json::parse(R"({"class_name": "Adam", "config": {"decay": 0.01}})"), "opt"),
                       doctest::Contains("InverseTimeDecay"), Error);
  CHECK_THROWS_WITH_AS(from_json(json::parse(R"({"class_name": "Adam", "config": {"use_ema": true}})"), "opt"),
                       doctest::Contains("EMA is not supported"), Error);
  CHECK_THROWS_WITH_AS(from_json(json::parse(R"({"class_name": "Adam", "config": {"beta1": 0.9}})"), "opt"),
                       doctest::Contains("unknown key \"beta1\""), Error);
  CHECK_THROWS_WITH_AS(from_json(json::parse(R"({"class_name": "Adam", "config": {"beta_1": 1.0}})"), "opt"),
                       doctest::Contains("Adam: bad beta_1"), Error);
}
