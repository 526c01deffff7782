// RMSprop: hand-computed first steps (plain, centered, momentum) and Keras-formula loops for every variant.
#include "optim/optimizer_testing.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using test::Flat;
using optim::ParamD;

namespace {

// Keras 3 rmsprop.py written out element by element.
struct RMSpropReference {
  double lr = 0.001, rho = 0.9, momentum = 0.0, epsilon = 1e-7;
  bool centered = false;
  Flat rms, mom, mg;

  void operator()(Flat& w, const Flat& g) {
    if (rms.empty()) rms = mom = mg = Flat(w.size(), 0.0);
    for (std::size_t k = 0; k < w.size(); ++k) {
      rms[k] = rho * rms[k] + (1 - rho) * g[k] * g[k];
      double denominator = rms[k] + epsilon;
      if (centered) {
        mg[k] = rho * mg[k] + (1 - rho) * g[k];
        denominator = rms[k] - mg[k] * mg[k] + epsilon;
      }
      const double increment = lr * g[k] / std::sqrt(denominator);
      if (momentum > 0) {
        mom[k] = momentum * mom[k] + increment;
        w[k] -= mom[k];
      } else {
        w[k] -= increment;
      }
    }
  }
};

}  // namespace

TEST_CASE("RMSprop: the first step is lr g / sqrt((1 - rho) g^2 + eps), epsilon inside the root") {
  optim::RMSprop rmsprop({.learning_rate = 0.5});
  Flat w = test::keras_single_step(rmsprop);
  const Flat w0 = {1, 2, 3, 4}, g = {1, 6, 7, 2};
  for (int k = 0; k < 4; ++k)
    CHECK(w[k] == doctest::Approx(w0[k] - 0.5 * g[k] / std::sqrt(0.1 * g[k] * g[k] + 1e-7)).epsilon(1e-14));
  // Keras's rmsprop_test.py test_single_step: (-0.5811, 0.4189, 1.4189, 2.4189).
  CHECK(w[0] == doctest::Approx(-0.5811).epsilon(1e-4));
}

TEST_CASE("RMSprop: centered, the first step divides by sqrt(rms - mg^2 + eps)") {
  // rms = 0.1 g^2, mg = 0.1 g: the root is sqrt(0.1 g^2 - 0.01 g^2 + eps) = sqrt(0.09 g^2 + eps).
  optim::RMSprop rmsprop({.learning_rate = 0.5, .centered = true});
  Flat w = test::one_step(rmsprop, {1.0, -2.0}, {3.0, -0.5});
  CHECK(w[0] == doctest::Approx(1.0 - 0.5 * 3.0 / std::sqrt(0.09 * 9.0 + 1e-7)).epsilon(1e-14));
  CHECK(w[1] == doctest::Approx(-2.0 + 0.5 * 0.5 / std::sqrt(0.09 * 0.25 + 1e-7)).epsilon(1e-14));
}

TEST_CASE("RMSprop: with momentum the second step adds momentum times the first") {
  // Constant g = 2, rho = 0.5, momentum 0.5, eps 0. Step 1: rms = 2, inc = lr 2 / sqrt(2); mom = inc.
  // Step 2: rms = 0.5 * 2 + 0.5 * 4 = 3, inc = lr 2 / sqrt(3); mom = 0.5 mom + inc.
  optim::RMSprop rmsprop({.learning_rate = 0.1, .rho = 0.5, .momentum = 0.5, .epsilon = 1e-300});
  Flat w = test::one_step(rmsprop, {0.0}, {2.0});
  const double inc1 = 0.1 * 2 / std::sqrt(2.0);
  CHECK(w[0] == doctest::Approx(-inc1).epsilon(1e-14));
  w = test::one_step(rmsprop, w, {2.0});
  CHECK(w[0] == doctest::Approx(-inc1 - (0.5 * inc1 + 0.1 * 2 / std::sqrt(3.0))).epsilon(1e-14));
}

TEST_CASE("RMSprop: ten steps on a bowl follow the Keras formula, every variant") {
  for (double momentum : {0.0, 0.6}) {
    for (bool centered : {false, true}) {
      CAPTURE(momentum);
      CAPTURE(centered);
      optim::RMSprop rmsprop(
          {.learning_rate = 0.02, .rho = 0.8, .momentum = momentum, .epsilon = 1e-6, .centered = centered});
      auto path = test::run_bowl<double>(rmsprop, 10);
      RMSpropReference reference{.lr = 0.02, .rho = 0.8, .momentum = momentum, .epsilon = 1e-6, .centered = centered};
      auto expected = test::run_reference(std::ref(reference), 10);
      CHECK(test::total_movement(path) > 0.1);
      CHECK(test::max_difference(path, expected) < 1e-13);

      optim::RMSprop in_float(
          {.learning_rate = 0.02, .rho = 0.8, .momentum = momentum, .epsilon = 1e-6, .centered = centered});
      CHECK(test::max_difference(test::run_bowl<float>(in_float, 10), expected) < 1e-5);
    }
  }
}

TEST_CASE("RMSprop: Keras's golden centered run") {
  // keras/src/optimizers/rmsprop_test.py: RMSprop(centered=True).
  optim::RMSprop rmsprop({.centered = true});
  auto rows = test::keras_golden_run(rmsprop);
  std::vector<Flat> golden;
  for (double x : {0.9967, 0.9933, 0.9908, 0.9885, 0.9864}) golden.push_back(Flat(10, x));
  test::check_golden(rows, golden);
}

TEST_CASE("RMSprop: slots follow TF.js names and order, momentum always kept") {
  CHECK(optim::RMSprop().slot_names() == std::vector<std::string>{"rms", "momentum"});
  CHECK(optim::RMSprop({.momentum = 0.9}).slot_names() == std::vector<std::string>{"rms", "momentum"});
  CHECK(optim::RMSprop({.centered = true}).slot_names() == std::vector<std::string>{"rms", "momentum", "mg"});

  // The saved slots hold what the rule says: after one step with g, rms = (1 - rho) g^2, mg = (1 - rho) g, and
  // momentum the step just taken.
  optim::RMSprop rmsprop({.learning_rate = 0.1, .momentum = 0.5, .centered = true});
  Param p{.name = "w", .value = Matrix::Zero(1, 2), .grad = Matrix(1, 2)};
  p.grad << Scalar(2), Scalar(-1);
  Param* params[] = {&p};
  rmsprop.step(std::span<Param* const>(params));
  CHECK(rmsprop.slot(0, 0)(0, 0) == doctest::Approx(0.4));
  CHECK(rmsprop.slot(0, 2)(0, 1) == doctest::Approx(-0.1));
  CHECK(rmsprop.slot(0, 1)(0, 0) == doctest::Approx(-p.value(0, 0)));

  // Without momentum the slot is TF.js's: the last increment, lr g / sqrt(rms + eps), which the next step ignores.
  optim::RMSprop plain({.learning_rate = 0.1});
  Param q{.name = "w", .value = Matrix::Zero(1, 1), .grad = Matrix::Constant(1, 1, Scalar(2))};
  Param* qs[] = {&q};
  plain.step(std::span<Param* const>(qs));
  plain.step(std::span<Param* const>(qs));
  const double rms2 = 0.9 * 0.4 + 0.1 * 4;  // 0.76
  CHECK(plain.slot(0, 1)(0, 0) == doctest::Approx(0.1 * 2 / std::sqrt(rms2 + 1e-7)));
  CHECK(q.value(0, 0) == doctest::Approx(-0.1 * 2 / std::sqrt(0.4 + 1e-7) - 0.1 * 2 / std::sqrt(rms2 + 1e-7)));
}

TEST_CASE("RMSprop: config and bad options") {
  auto c = optim::RMSprop().config();
  CHECK(c["name"] == "rmsprop");
  CHECK(c["learning_rate"] == 0.001);
  CHECK(c["rho"] == 0.9);
  CHECK(c["momentum"] == 0.0);
  CHECK(c["epsilon"] == 1e-7);
  CHECK(c["centered"] == false);
  CHECK_THROWS_WITH_AS(optim::RMSprop({.rho = 1.1}), doctest::Contains("0 <= rho <= 1"), Error);
  CHECK_THROWS_WITH_AS(optim::RMSprop({.momentum = -0.1}), doctest::Contains("RMSprop: bad momentum"), Error);
  CHECK_THROWS_WITH_AS(optim::RMSprop({.epsilon = 0.0}), doctest::Contains("epsilon > 0"), Error);
}
