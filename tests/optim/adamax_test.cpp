// Adamax: a hand-computed first step, a Keras-formula loop with the infinity norm, Keras's golden run.
#include "optim/optimizer_testing.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using test::Flat;
using optim::ParamD;

TEST_CASE("Adamax: the first step is lr * g / (|g| + eps)") {
  // t = 1: m = (1 - beta_1) g, u = max(0, |g|) = |g|; w -= lr m / ((1 - beta_1)(u + eps)) = lr g / (|g| + eps).
  optim::Adamax adamax({.learning_rate = 0.5});
  Flat w = test::keras_single_step(adamax);
  const Flat w0 = {1, 2, 3, 4}, g = {1, 6, 7, 2};
  for (int k = 0; k < 4; ++k) CHECK(w[k] == doctest::Approx(w0[k] - 0.5 * g[k] / (g[k] + 1e-7)).epsilon(1e-14));
  // Keras's adamax_test.py test_single_step: (0.5, 1.5, 2.5, 3.5).
  CHECK(w[2] == doctest::Approx(2.5).epsilon(1e-4));
}

TEST_CASE("Adamax: ten steps on a bowl with two parameters follow the Keras formula") {
  optim::Adamax adamax({.learning_rate = 0.1, .beta_1 = 0.8, .beta_2 = 0.9, .epsilon = 1e-6});
  auto path = test::run_bowl<double>(adamax, 10);
  Flat m, u;
  int t = 0;
  auto reference = [&](Flat& w, const Flat& g) {
    if (m.empty()) m = u = Flat(w.size(), 0.0);
    ++t;
    for (std::size_t k = 0; k < w.size(); ++k) {
      m[k] += (g[k] - m[k]) * (1 - 0.8);
      u[k] = std::max(0.9 * u[k], std::abs(g[k]));
      w[k] -= 0.1 * m[k] / ((1 - std::pow(0.8, t)) * (u[k] + 1e-6));
    }
  };
  auto expected = test::run_reference(reference, 10);
  CHECK(test::total_movement(path) > 0.3);
  CHECK(test::max_difference(path, expected) < 1e-13);
  CHECK(adamax.iterations() == 10);

  optim::Adamax in_float({.learning_rate = 0.1, .beta_1 = 0.8, .beta_2 = 0.9, .epsilon = 1e-6});
  CHECK(test::max_difference(test::run_bowl<float>(in_float, 10), expected) < 1e-5);
}

TEST_CASE("Adamax: Keras's golden run") {
  // keras/src/optimizers/adamax_test.py: Adamax(learning_rate=0.2, beta_1=0.85, beta_2=0.95, epsilon=1e-6).
  optim::Adamax adamax({.learning_rate = 0.2, .beta_1 = 0.85, .beta_2 = 0.95, .epsilon = 1e-6});
  auto rows = test::keras_golden_run(adamax);
  test::check_golden(rows, {
      {0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8},
      {0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691},
      {0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466},
      {0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848},
      {0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126},
  });
}

TEST_CASE("Adamax: config, slots and bad options") {
  auto c = optim::Adamax().config();
  CHECK(c["name"] == "adamax");
  CHECK(c["learning_rate"] == 0.001);
  CHECK(c["beta_1"] == 0.9);
  CHECK(c["beta_2"] == 0.999);
  CHECK(c["epsilon"] == 1e-7);
  CHECK(optim::Adamax().slot_names() == std::vector<std::string>{"m", "v"});
  CHECK_THROWS_WITH_AS(optim::Adamax({.beta_2 = -0.5}), doctest::Contains("Adamax: bad beta_2"), Error);
  CHECK_THROWS_WITH_AS(optim::Adamax({.epsilon = -1.0}), doctest::Contains("epsilon >= 0"), Error);
}
