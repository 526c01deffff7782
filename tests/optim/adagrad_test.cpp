// Adagrad: a hand-computed first step, a Keras-formula loop, Keras's golden run.
#include "optim/optimizer_testing.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using test::Flat;
using optim::ParamD;

TEST_CASE("Adagrad: the first step is lr g / sqrt(initial + g^2 + eps)") {
  optim::Adagrad adagrad({.learning_rate = 0.5});
  Flat w = test::keras_single_step(adagrad);
  const Flat w0 = {1, 2, 3, 4}, g = {1, 6, 7, 2};
  for (int k = 0; k < 4; ++k)
    CHECK(w[k] == doctest::Approx(w0[k] - 0.5 * g[k] / std::sqrt(0.1 + g[k] * g[k] + 1e-7)).epsilon(1e-14));
  // Keras's adagrad_test.py test_single_step: (0.5233, 1.5007, 2.5005, 3.5061).
  CHECK(w[0] == doctest::Approx(0.5233).epsilon(1e-4));
  CHECK(w[3] == doctest::Approx(3.5061).epsilon(1e-4));
}

TEST_CASE("Adagrad: the second step divides by the root of both squared gradients") {
  // acc = 0 + 3^2 after step 1 and 9 + 4^2 = 25 after step 2 (initial 0, eps tiny): the steps are lr 3/3, lr 4/5.
  optim::Adagrad adagrad({.learning_rate = 0.1, .initial_accumulator_value = 0.0, .epsilon = 1e-300});
  Flat w = test::one_step(adagrad, {1.0}, {3.0});
  CHECK(w[0] == doctest::Approx(0.9).epsilon(1e-14));
  w = test::one_step(adagrad, w, {4.0});
  CHECK(w[0] == doctest::Approx(0.9 - 0.1 * 4.0 / 5.0).epsilon(1e-14));
}

TEST_CASE("Adagrad: ten steps on a bowl follow the Keras formula") {
  optim::Adagrad adagrad({.learning_rate = 0.3, .initial_accumulator_value = 0.2, .epsilon = 1e-6});
  auto path = test::run_bowl<double>(adagrad, 10);
  Flat acc;
  auto reference = [&](Flat& w, const Flat& g) {
    if (acc.empty()) acc = Flat(w.size(), 0.2);
    for (std::size_t k = 0; k < w.size(); ++k) {
      acc[k] += g[k] * g[k];
      w[k] -= 0.3 * g[k] / std::sqrt(acc[k] + 1e-6);
    }
  };
  auto expected = test::run_reference(reference, 10);
  CHECK(test::total_movement(path) > 0.3);
  CHECK(test::max_difference(path, expected) < 1e-13);

  optim::Adagrad in_float({.learning_rate = 0.3, .initial_accumulator_value = 0.2, .epsilon = 1e-6});
  CHECK(test::max_difference(test::run_bowl<float>(in_float, 10), expected) < 1e-5);
}

TEST_CASE("Adagrad: Keras's golden run") {
  // keras/src/optimizers/adagrad_test.py: Adagrad(learning_rate=0.2, initial_accumulator_value=0.3, epsilon=1e-6).
  optim::Adagrad adagrad({.learning_rate = 0.2, .initial_accumulator_value = 0.3, .epsilon = 1e-6});
  auto rows = test::keras_golden_run(adagrad);
  test::check_golden(rows, {
      {0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963},
      {0.9604, 0.9278, 0.9003, 0.8784, 0.8615, 0.8487, 0.8388, 0.8313, 0.8255, 0.8209},
      {0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891},
      {0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579},
      {0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825},
  });
}

TEST_CASE("Adagrad: the accumulator slot starts at initial_accumulator_value") {
  optim::Adagrad adagrad({.learning_rate = 0.1, .initial_accumulator_value = 0.25});
  Param p{.name = "w", .value = Matrix::Zero(2, 2), .grad = Matrix::Constant(2, 2, Scalar(0.5))};
  Param* params[] = {&p};
  adagrad.step(std::span<Param* const>(params));
  CHECK(adagrad.slot_names() == std::vector<std::string>{"accumulator"});
  CHECK(adagrad.slot(0, 0)(1, 1) == doctest::Approx(0.25 + 0.25));
}

TEST_CASE("Adagrad: config and bad options") {
  auto c = optim::Adagrad().config();
  CHECK(c["name"] == "adagrad");
  CHECK(c["learning_rate"] == 0.001);
  CHECK(c["initial_accumulator_value"] == 0.1);
  CHECK(c["epsilon"] == 1e-7);
  CHECK_THROWS_WITH_AS(optim::Adagrad({.initial_accumulator_value = -0.1}),
                       doctest::Contains("Adagrad: bad initial_accumulator_value"), Error);
  CHECK_THROWS_WITH_AS(optim::Adagrad({.initial_accumulator_value = 0.0, .epsilon = 0.0}),
                       doctest::Contains("initial_accumulator_value + epsilon > 0"), Error);
  CHECK_THROWS_WITH_AS(optim::Adagrad({.learning_rate = std::nan("")}),
                       doctest::Contains("learning_rate is missing or NaN"), Error);
}
