// Adadelta: hand-computed first and second steps, a Keras-formula loop, Keras's golden run.
#include "optim/optimizer_testing.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using test::Flat;
using optim::ParamD;

TEST_CASE("Adadelta: the first step is -lr sqrt(eps) g / sqrt((1 - rho) g^2 + eps)") {
  // acc_dx starts at 0, so rms(acc_dx) = sqrt(eps); acc_g = (1 - rho) g^2 = 0.05 g^2.
  optim::Adadelta adadelta({.learning_rate = 0.5});
  Flat w = test::keras_single_step(adadelta);
  const Flat w0 = {1, 2, 3, 4}, g = {1, 6, 7, 2};
  for (int k = 0; k < 4; ++k)
    CHECK(w[k] ==
          doctest::Approx(w0[k] - 0.5 * std::sqrt(1e-7) * g[k] / std::sqrt(0.05 * g[k] * g[k] + 1e-7)).epsilon(1e-14));
  // Keras's adadelta_test.py test_single_step: (0.9993, 1.9993, 2.9993, 3.9993).
  CHECK(w[0] == doctest::Approx(0.9993).epsilon(1e-4));
}

TEST_CASE("Adadelta: the second step uses the first step's squared update") {
  // rho = 0.5, eps = 0.01, lr = 1, g = 1 twice.
  // Step 1: acc_g = 0.5, delta1 = -sqrt(0.01) / sqrt(0.51) , acc_dx = 0.5 delta1^2.
  // Step 2: acc_g = 0.75, delta2 = -sqrt(acc_dx + 0.01) / sqrt(0.76).
  optim::Adadelta adadelta({.learning_rate = 1.0, .rho = 0.5, .epsilon = 0.01});
  Flat w = test::one_step(adadelta, {0.0}, {1.0});
  const double delta1 = -0.1 / std::sqrt(0.51);
  CHECK(w[0] == doctest::Approx(delta1).epsilon(1e-14));
  w = test::one_step(adadelta, w, {1.0});
  const double delta2 = -std::sqrt(0.5 * delta1 * delta1 + 0.01) / std::sqrt(0.76);
  CHECK(w[0] == doctest::Approx(delta1 + delta2).epsilon(1e-14));
}

TEST_CASE("Adadelta: ten steps on a bowl follow the Keras formula") {
  optim::Adadelta adadelta({.learning_rate = 1.0, .rho = 0.8, .epsilon = 1e-3});
  auto path = test::run_bowl<double>(adadelta, 10);
  Flat acc_g, acc_dx;
  auto reference = [&](Flat& w, const Flat& g) {
    if (acc_g.empty()) acc_g = acc_dx = Flat(w.size(), 0.0);
    for (std::size_t k = 0; k < w.size(); ++k) {
      acc_g[k] = 0.8 * acc_g[k] + 0.2 * g[k] * g[k];
      const double delta = -std::sqrt(acc_dx[k] + 1e-3) * g[k] / std::sqrt(acc_g[k] + 1e-3);
      acc_dx[k] = 0.8 * acc_dx[k] + 0.2 * delta * delta;
      w[k] += 1.0 * delta;
    }
  };
  auto expected = test::run_reference(reference, 10);
  CHECK(test::total_movement(path) > 0.2);
  CHECK(test::max_difference(path, expected) < 1e-13);

  optim::Adadelta in_float({.learning_rate = 1.0, .rho = 0.8, .epsilon = 1e-3});
  CHECK(test::max_difference(test::run_bowl<float>(in_float, 10), expected) < 1e-5);
}

TEST_CASE("Adadelta: Keras's golden run") {
  // keras/src/optimizers/adadelta_test.py: Adadelta(learning_rate=1.0, rho=0.8, epsilon=1e-6).
  optim::Adadelta adadelta({.learning_rate = 1.0, .rho = 0.8, .epsilon = 1e-6});
  auto rows = test::keras_golden_run(adadelta);
  std::vector<Flat> golden;
  for (double x : {0.9978, 0.9947, 0.9915, 0.9882, 0.9849}) golden.push_back(Flat(10, x));
  test::check_golden(rows, golden);
}

TEST_CASE("Adadelta: config, slots and bad options") {
  auto c = optim::Adadelta().config();
  CHECK(c["name"] == "adadelta");
  CHECK(c["learning_rate"] == 0.001);
  CHECK(c["rho"] == 0.95);
  CHECK(c["epsilon"] == 1e-7);
  CHECK(optim::Adadelta().slot_names() == std::vector<std::string>{"accum_grad", "accum_var"});
  CHECK_THROWS_WITH_AS(optim::Adadelta({.rho = 2.0}), doctest::Contains("Adadelta: bad rho"), Error);
  CHECK_THROWS_WITH_AS(optim::Adadelta({.epsilon = 0.0}), doctest::Contains("epsilon > 0"), Error);
}
