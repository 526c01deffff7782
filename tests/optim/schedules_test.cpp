// Learning-rate schedules: hand-computed values, warmup and restarts, use inside optimizers, JSON, bad options.
#include "optim/optimizer_testing.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <numbers>

using namespace descent;
using namespace descent::optim;
using nlohmann::json;

namespace {
const double pi = std::numbers::pi;
}

TEST_CASE("ExponentialDecay: lr0 * rate^(step / decay_steps), floored with staircase") {
  ExponentialDecay smooth({.initial_learning_rate = 0.1, .decay_steps = 10, .decay_rate = 0.5});
  CHECK(smooth(0) == doctest::Approx(0.1));
  CHECK(smooth(5) == doctest::Approx(0.1 / std::sqrt(2.0)));
  CHECK(smooth(20) == doctest::Approx(0.025));
  ExponentialDecay stairs({.initial_learning_rate = 0.1, .decay_steps = 10, .decay_rate = 0.5, .staircase = true});
  CHECK(stairs(9) == doctest::Approx(0.1));
  CHECK(stairs(15) == doctest::Approx(0.05));
  CHECK(stairs(20) == doctest::Approx(0.025));
}

TEST_CASE("InverseTimeDecay: lr0 / (1 + rate * step / decay_steps)") {
  InverseTimeDecay smooth({.initial_learning_rate = 0.1, .decay_steps = 10, .decay_rate = 0.5});
  CHECK(smooth(0) == doctest::Approx(0.1));
  CHECK(smooth(5) == doctest::Approx(0.08));
  CHECK(smooth(20) == doctest::Approx(0.05));
  InverseTimeDecay stairs({.initial_learning_rate = 0.1, .decay_steps = 10, .decay_rate = 0.5, .staircase = true});
  CHECK(stairs(15) == doctest::Approx(0.1 / 1.5));
  CHECK(stairs(19) == doctest::Approx(0.1 / 1.5));
}

TEST_CASE("PiecewiseConstantDecay: a boundary step still belongs to the interval it closes") {
  // Keras's documented example: 1.0 up to step 100000, 0.5 up to 110000, then 0.1 (here scaled by 1000).
  PiecewiseConstantDecay piecewise({.boundaries = {100, 110}, .values = {1.0, 0.5, 0.1}});
  CHECK(piecewise(0) == 1.0);
  CHECK(piecewise(100) == 1.0);
  CHECK(piecewise(101) == 0.5);
  CHECK(piecewise(110) == 0.5);
  CHECK(piecewise(111) == 0.1);
  CHECK(piecewise(1e9) == 0.1);
}

TEST_CASE("PolynomialDecay: (lr0 - end)(1 - s/D)^power + end, held at end or cycling") {
  PolynomialDecay held({.initial_learning_rate = 0.1, .decay_steps = 10, .end_learning_rate = 0.01, .power = 2});
  CHECK(held(0) == doctest::Approx(0.1));
  CHECK(held(5) == doctest::Approx(0.09 * 0.25 + 0.01));
  CHECK(held(10) == doctest::Approx(0.01));
  CHECK(held(25) == doctest::Approx(0.01));
  PolynomialDecay linear({.initial_learning_rate = 1.0, .decay_steps = 4});  // end 1e-4, power 1
  CHECK(linear(1) == doctest::Approx((1.0 - 1e-4) * 0.75 + 1e-4));

  // cycle: D is decay_steps times ceil(step / decay_steps), and decay_steps at step 0.
  PolynomialDecay cycling(
      {.initial_learning_rate = 0.1, .decay_steps = 10, .end_learning_rate = 0.01, .power = 2, .cycle = true});
  CHECK(cycling(0) == doctest::Approx(0.1));
  CHECK(cycling(10) == doctest::Approx(0.01));
  CHECK(cycling(15) == doctest::Approx(0.09 * 0.25 * 0.25 + 0.01));  // D = 20, 1 - 15/20 = 0.25
  CHECK(cycling(20) == doctest::Approx(0.01));
}

TEST_CASE("CosineDecay: half a cosine from lr0 down to alpha * lr0") {
  CosineDecay cosine({.initial_learning_rate = 0.1, .decay_steps = 10, .alpha = 0.1});
  CHECK(cosine(0) == doctest::Approx(0.1));
  CHECK(cosine(5) == doctest::Approx(0.1 * (0.9 * 0.5 + 0.1)));
  CHECK(cosine(2) == doctest::Approx(0.1 * (0.9 * 0.5 * (1 + std::cos(pi * 0.2)) + 0.1)));
  CHECK(cosine(10) == doctest::Approx(0.01));
  CHECK(cosine(50) == doctest::Approx(0.01));
}

TEST_CASE("CosineDecay with warmup: linear from lr0 to warmup_target, then the cosine from warmup_target") {
  // Keras's documented warmup example shape: initial 0, warmup to 0.2 over 4 steps, then decay over 10.
  CosineDecay warm({.initial_learning_rate = 0.0, .decay_steps = 10, .warmup_target = 0.2, .warmup_steps = 4});
  CHECK(warm(0) == doctest::Approx(0.0));
  CHECK(warm(1) == doctest::Approx(0.05));
  CHECK(warm(3) == doctest::Approx(0.15));
  CHECK(warm(4) == doctest::Approx(0.2));
  CHECK(warm(9) == doctest::Approx(0.1));  // halfway through the decay
  CHECK(warm(14) == doctest::Approx(0.0));
  CHECK(warm(100) == doctest::Approx(0.0));

  CosineDecay from_one({.initial_learning_rate = 0.1, .decay_steps = 4, .alpha = 0.5, .warmup_target = 0.3,
                        .warmup_steps = 2});
  CHECK(from_one(1) == doctest::Approx(0.2));                                // 0.1 + (0.3 - 0.1) / 2
  CHECK(from_one(4) == doctest::Approx(0.3 * (0.5 * 0.5 * 1.0 + 0.5)));  // decay fraction 2/4
}

TEST_CASE("CosineDecayRestarts: periods grow by t_mul and restarts start at m_mul times the last") {
  CosineDecayRestarts sgdr({.initial_learning_rate = 1.0, .first_decay_steps = 10, .t_mul = 2.0, .m_mul = 0.5});
  CHECK(sgdr(0) == doctest::Approx(1.0));
  CHECK(sgdr(5) == doctest::Approx(0.5));
  CHECK(sgdr(9) == doctest::Approx(0.5 * (1 + std::cos(pi * 0.9))));
  // The first period is [0, 10), the second [10, 30) at half height, the third [30, 70) at a quarter.
  CHECK(sgdr(10) == doctest::Approx(0.5));
  CHECK(sgdr(20) == doctest::Approx(0.25));
  CHECK(sgdr(29) == doctest::Approx(0.25 * (1 + std::cos(pi * 0.95))));
  CHECK(sgdr(30) == doctest::Approx(0.25));
  CHECK(sgdr(70) == doctest::Approx(0.125));
  CHECK(sgdr(150) == doctest::Approx(0.0625));

  // t_mul = 1: equal periods; alpha lifts the floor.
  CosineDecayRestarts equal({.initial_learning_rate = 1.0, .first_decay_steps = 10, .t_mul = 1.0, .alpha = 0.2});
  CHECK(equal(15) == doctest::Approx(0.8 * 0.5 + 0.2));
  CHECK(equal(20) == doctest::Approx(1.0));
  CHECK(equal(29.9999) == doctest::Approx(0.2).epsilon(1e-6));
}

TEST_CASE("Schedules drive optimizers: step k uses the rate at iterations k - 1, decay included") {
  // SGD with gradient 1 moves by exactly the rate: 0.1, then 0.05, then 0.025.
  SGD sgd({.learning_rate = ExponentialDecay({.initial_learning_rate = 0.1, .decay_steps = 1, .decay_rate = 0.5})});
  CHECK(sgd.learning_rate() == doctest::Approx(0.1));
  auto w = test::one_step(sgd, {0.0}, {1.0});
  CHECK(w[0] == doctest::Approx(-0.1));
  CHECK(sgd.learning_rate() == doctest::Approx(0.05));  // the next step's rate
  w = test::one_step(sgd, w, {1.0});
  w = test::one_step(sgd, w, {1.0});
  CHECK(w[0] == doctest::Approx(-0.175));
  CHECK(sgd.learning_rate_setting().is_schedule());

  // Adam's alpha scales with the scheduled rate: constant g makes each step lr (up to eps).
  Adam adam({.learning_rate = PiecewiseConstantDecay({.boundaries = {1}, .values = {0.2, 0.01}})});
  w = test::one_step(adam, {0.0}, {3.0});  // step 0: 0.2
  w = test::one_step(adam, w, {3.0});      // step 1: 0.2 (1 <= boundary)
  w = test::one_step(adam, w, {3.0});      // step 2: 0.01
  CHECK(w[0] == doctest::Approx(-0.41).epsilon(1e-5));

  // GD takes a schedule the same way.
  GD gd({.learning_rate = InverseTimeDecay({.initial_learning_rate = 0.2, .decay_steps = 1, .decay_rate = 1.0})});
  w = test::one_step(gd, {0.0}, {1.0});
  w = test::one_step(gd, w, {1.0});
  CHECK(w[0] == doctest::Approx(-0.3));  // 0.2, then 0.2 / 2
}

TEST_CASE("A scheduled learning rate cannot be set; a constant one can") {
  SGD scheduled({.learning_rate = CosineDecay({.initial_learning_rate = 0.1, .decay_steps = 100})});
  CHECK_THROWS_WITH_AS(scheduled.set_learning_rate(0.5), doctest::Contains("follows the schedule CosineDecay"), Error);

  Adam adam({.learning_rate = 0.1});
  adam.set_learning_rate(0.02);
  CHECK(adam.learning_rate() == 0.02);
  CHECK(adam.config()["learning_rate"] == 0.02);
  CHECK_THROWS_WITH_AS(adam.set_learning_rate(-1.0), doctest::Contains("Adam: bad learning_rate"), Error);
  CHECK_THROWS_WITH_AS(adam.set_learning_rate(std::nan("")), doctest::Contains("learning_rate"), Error);
}

TEST_CASE("A schedule may start at 0 (warmup), and a negative scheduled rate is caught at the step") {
  SGD warmup({.learning_rate = CosineDecay({.initial_learning_rate = 0.0, .decay_steps = 10, .warmup_target = 0.1,
                                            .warmup_steps = 2})});
  auto w = test::one_step(warmup, {1.0}, {1.0});
  CHECK(w[0] == 1.0);  // rate 0 at step 0
  w = test::one_step(warmup, w, {1.0});
  CHECK(w[0] == doctest::Approx(0.95));

  // A user-written schedule works like Keras's; one that goes negative stops the step before any weight moves.
  struct Falling : LearningRateSchedule {
    std::string class_name() const override { return "Falling"; }
    json config() const override { return json::object(); }
    double operator()(double step) const override { return 0.1 - 0.1 * step; }
  };
  SGD falling({.learning_rate = Falling()});
  w = test::one_step(falling, {1.0}, {1.0});
  w = test::one_step(falling, w, {1.0});  // rate 0 at step 1
  CHECK(w[0] == doctest::Approx(0.9));
  CHECK_THROWS_WITH_AS(test::one_step(falling, w, {1.0}), doctest::Contains("schedule gave -0.1 at step 2"), Error);
}

TEST_CASE("Schedules: JSON in Keras's form, round trip for every class") {
  std::vector<std::shared_ptr<const LearningRateSchedule>> samples = {
      std::make_shared<ExponentialDecay>(
          ExponentialDecayOptions{.initial_learning_rate = 0.1, .decay_steps = 1000, .decay_rate = 0.96,
                                  .staircase = true}),
      std::make_shared<InverseTimeDecay>(
          InverseTimeDecayOptions{.initial_learning_rate = 0.1, .decay_steps = 1, .decay_rate = 0.5}),
      std::make_shared<PiecewiseConstantDecay>(
          PiecewiseConstantDecayOptions{.boundaries = {100, 110}, .values = {1.0, 0.5, 0.1}}),
      std::make_shared<PolynomialDecay>(PolynomialDecayOptions{
          .initial_learning_rate = 0.1, .decay_steps = 10000, .end_learning_rate = 0.01, .power = 0.5, .cycle = true}),
      std::make_shared<CosineDecay>(CosineDecayOptions{
          .initial_learning_rate = 0.0, .decay_steps = 1000, .alpha = 0.1, .warmup_target = 0.1, .warmup_steps = 100}),
      std::make_shared<CosineDecayRestarts>(CosineDecayRestartsOptions{
          .initial_learning_rate = 0.5, .first_decay_steps = 20, .t_mul = 3.0, .m_mul = 0.8, .alpha = 0.05}),
  };
  std::vector<std::string> seen;
  for (const auto& s : samples) {
    json j = serialize(*s);
    CAPTURE(j.dump());
    CHECK(j["class_name"] == s->class_name());
    auto back = schedule_from_json(j, "schedule");
    CHECK(serialize(*back) == j);
    for (double step : {0.0, 7.0, 150.0, 5000.0}) CHECK((*back)(step) == (*s)(step));
    seen.push_back(s->class_name());
  }
  std::sort(seen.begin(), seen.end());
  CHECK(seen == schedule_class_names());  // every registered schedule was covered
}

TEST_CASE("Schedules: the Keras config keys and defaults") {
  json c = ExponentialDecay({.initial_learning_rate = 0.1, .decay_steps = 100000, .decay_rate = 0.96}).config();
  CHECK(c == json{{"initial_learning_rate", 0.1}, {"decay_steps", 100000}, {"decay_rate", 0.96},
                  {"staircase", false}, {"name", "ExponentialDecay"}});
  CHECK(PiecewiseConstantDecay({.boundaries = {1}, .values = {1, 2}}).config()["name"] == "PiecewiseConstant");
  CHECK(CosineDecayRestarts({.initial_learning_rate = 1, .first_decay_steps = 5}).config()["name"] == "SGDRDecay");
  json cosine = CosineDecay({.initial_learning_rate = 0.1, .decay_steps = 10}).config();
  CHECK(cosine["warmup_target"].is_null());
  CHECK(cosine["warmup_steps"] == 0);
  CHECK(cosine["alpha"] == 0.0);
  json poly = PolynomialDecay({.initial_learning_rate = 0.1, .decay_steps = 10}).config();
  CHECK(poly["end_learning_rate"] == 0.0001);
  CHECK(poly["power"] == 1.0);
  CHECK(poly["cycle"] == false);
}

TEST_CASE("Schedules: an optimizer config holds the schedule, and Keras 3's serialized form reads back") {
  Adam adam({.learning_rate = ExponentialDecay({.initial_learning_rate = 0.01, .decay_steps = 10000,
                                                .decay_rate = 0.9})});
  json j = serialize(adam);
  CHECK(j["config"]["learning_rate"]["class_name"] == "ExponentialDecay");
  CHECK(j["config"]["learning_rate"]["config"]["decay_rate"] == 0.9);
  auto back = from_json(j, "optimizer");
  CHECK(serialize(*back) == j);
  CHECK(back->learning_rate_setting().is_schedule());

  // Keras 3 writes module and registered_name around the schedule; they carry nothing Descent needs.
  json keras3 = json::parse(R"({"module": "keras.optimizers", "class_name": "SGD", "config": {
      "name": "SGD", "learning_rate": {"module": "keras.optimizers.schedules", "class_name": "CosineDecay",
        "config": {"initial_learning_rate": 0.1, "decay_steps": 1000, "alpha": 0.0, "name": "CosineDecay",
                   "warmup_target": null, "warmup_steps": 0}, "registered_name": null},
      "weight_decay": null, "clipnorm": null, "global_clipnorm": null, "clipvalue": null, "use_ema": false,
      "ema_momentum": 0.99, "ema_overwrite_frequency": null, "loss_scale_factor": null,
      "gradient_accumulation_steps": null, "momentum": 0.9, "nesterov": false}, "registered_name": null})");
  auto sgd = from_json(keras3, "compile_config.optimizer");
  CHECK(sgd->class_name() == "SGD");
  CHECK(sgd->learning_rate() == doctest::Approx(0.1));
  CHECK(sgd->config()["learning_rate"]["class_name"] == "CosineDecay");
}

TEST_CASE("Schedules: bad options and bad JSON are refused with the option named") {
  CHECK_THROWS_WITH_AS(ExponentialDecay({.initial_learning_rate = 0.1, .decay_steps = 0, .decay_rate = 0.5}),
                       doctest::Contains("ExponentialDecay: bad decay_steps"), Error);
  CHECK_THROWS_WITH_AS(ExponentialDecay({.initial_learning_rate = 0.1, .decay_steps = 10}),
                       doctest::Contains("decay_rate is missing"), Error);
  CHECK_THROWS_WITH_AS(InverseTimeDecay({.initial_learning_rate = -0.1, .decay_steps = 10, .decay_rate = 1}),
                       doctest::Contains("initial_learning_rate >= 0"), Error);
  CHECK_THROWS_WITH_AS(PiecewiseConstantDecay({.boundaries = {10, 20}, .values = {1.0, 0.5}}),
                       doctest::Contains("one more element than boundaries"), Error);
  CHECK_THROWS_WITH_AS(PiecewiseConstantDecay({.boundaries = {20, 10}, .values = {1.0, 0.5, 0.1}}),
                       doctest::Contains("strictly increasing"), Error);
  CHECK_THROWS_WITH_AS(PiecewiseConstantDecay({.boundaries = {10}, .values = {1.0, -0.5}}),
                       doctest::Contains("values[1]=-0.5"), Error);
  CHECK_THROWS_WITH_AS(PolynomialDecay({.initial_learning_rate = 0.1, .decay_steps = -5}),
                       doctest::Contains("PolynomialDecay: bad decay_steps"), Error);
  CHECK_THROWS_WITH_AS(CosineDecay({.initial_learning_rate = 0.1, .decay_steps = 10, .alpha = 1.5}),
                       doctest::Contains("0 <= alpha <= 1"), Error);
  CHECK_THROWS_WITH_AS(CosineDecay({.initial_learning_rate = 0.1, .decay_steps = 10, .warmup_steps = -1}),
                       doctest::Contains("warmup_steps"), Error);
  CHECK_THROWS_WITH_AS(CosineDecayRestarts({.initial_learning_rate = 0.1, .first_decay_steps = 10, .t_mul = 0}),
                       doctest::Contains("t_mul > 0"), Error);

  CHECK_THROWS_WITH_AS(schedule_from_json(json{{"class_name", "StepDecay"}, {"config", json::object()}}, "lr"),
                       doctest::Contains("unknown learning-rate schedule \"StepDecay\""), Error);
  CHECK_THROWS_WITH_AS(
      schedule_from_json(json{{"class_name", "ExponentialDecay"},
                              {"config", {{"initial_learning_rate", 0.1}, {"decay_steps", 10}, {"decay_rte", 0.5}}}},
                         "lr"),
      doctest::Contains("unknown key \"decay_rte\""), Error);
  CHECK_THROWS_WITH_AS(LearningRate::from_json(json("fast"), "optimizer.config.learning_rate"),
                       doctest::Contains("expected a number or a schedule"), Error);
}

namespace {

// A user's schedule: the rate halves every `period` steps.
struct HalvingOptions {
  double initial_learning_rate = 0.1;
  double period = 10;
  std::string name = "Halving";

  template <class Self, class Visit>
  static void fields(Self& o, Visit&& visit) {
    visit("initial_learning_rate", o.initial_learning_rate);
    visit("period", o.period);
    visit("name", o.name);
  }
};

class Halving : public ScheduleWith<Halving, HalvingOptions> {
 public:
  static constexpr const char* kClassName = "Halving";
  using ScheduleWith::ScheduleWith;
  double operator()(double step) const override {
    return options_.initial_learning_rate / std::pow(2.0, std::floor(step / options_.period));
  }
};

}  // namespace

TEST_CASE("A user's schedule registers, serializes its field list, and loads back inside an optimizer config") {
  register_schedule<Halving>();
  CHECK_THROWS_WITH_AS(register_schedule<Halving>(), doctest::Contains("already registered"), Error);
  const Halving halving({.initial_learning_rate = 0.4, .period = 5});
  const json written = serialize(halving);
  CHECK(written == json::parse(R"({"class_name": "Halving",
                                   "config": {"initial_learning_rate": 0.4, "period": 5.0, "name": "Halving"}})"));
  SGD sgd({.learning_rate = LearningRate(std::make_shared<const Halving>(halving))});
  auto back = from_json(serialize(sgd), "optimizer");
  // The loaded schedule gives the hand-derived rates: 0.4 for steps 0-4, 0.2 for 5-9, 0.1 from 10.
  CHECK(back->learning_rate() == doctest::Approx(0.4));
  back->set_iterations(7);
  CHECK(back->learning_rate() == doctest::Approx(0.2));
  back->set_iterations(10);
  CHECK(back->learning_rate() == doctest::Approx(0.1));
  CHECK_THROWS_WITH_AS(
      schedule_from_json(json::parse(R"({"class_name": "Halving", "config": {"periood": 3}})"), "lr"),
      doctest::Contains("lr.config.periood: unknown key"), Error);
}
