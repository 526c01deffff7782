// Adam: a hand-computed first step, trajectories against an independent Keras-formula loop, AMSGrad, counting.
#include "optim/optimizer_testing.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using test::Flat;
using optim::ParamD;

namespace {

// Keras 3 adam.py written out element by element; t counts steps once for all weights.
struct AdamReference {
  double lr = 0.001, beta_1 = 0.9, beta_2 = 0.999, epsilon = 1e-7;
  bool amsgrad = false;
  Flat m, v, v_hat;
  int t = 0;

  void operator()(Flat& w, const Flat& g) {
    if (m.empty()) m = v = v_hat = Flat(w.size(), 0.0);
    ++t;
    const double alpha = lr * std::sqrt(1 - std::pow(beta_2, t)) / (1 - std::pow(beta_1, t));
    for (std::size_t k = 0; k < w.size(); ++k) {
      m[k] += (g[k] - m[k]) * (1 - beta_1);
      v[k] += (g[k] * g[k] - v[k]) * (1 - beta_2);
      double second = v[k];
      if (amsgrad) {
        v_hat[k] = std::max(v_hat[k], v[k]);
        second = v_hat[k];
      }
      w[k] -= alpha * m[k] / (std::sqrt(second) + epsilon);
    }
  }
};

}  // namespace

TEST_CASE("Adam: the first step moves each weight by lr * sqrt(1e-3)|g| / (sqrt(1e-3)|g| + eps)") {
  // t = 1: m = 0.1 g, v = 0.001 g^2, alpha = lr sqrt(0.001) / 0.1, so the step is
  // alpha * 0.1 g / (sqrt(0.001)|g| + eps) = lr * sign(g) * s|g| / (s|g| + eps), s = sqrt(0.001).
  optim::Adam adam({.learning_rate = 0.5});
  Flat w = test::keras_single_step(adam);
  const Flat w0 = {1, 2, 3, 4}, g = {1, 6, 7, 2};
  const double s = std::sqrt(0.001);
  for (int k = 0; k < 4; ++k) CHECK(w[k] == doctest::Approx(w0[k] - 0.5 * s * g[k] / (s * g[k] + 1e-7)).epsilon(1e-14));
  // Keras's adam_test.py test_single_step expects (0.5, 1.5, 2.5, 3.5).
  CHECK(w[0] == doctest::Approx(0.5).epsilon(1e-4));
  CHECK(w[3] == doctest::Approx(3.5).epsilon(1e-4));
}

TEST_CASE("Adam: epsilon is added to the root of the uncorrected v (Keras 3), not of the corrected one (TF.js)") {
  // One weight, g = 1e-4, eps = 1e-3 so the placement matters: Keras moves lr * s g / (s g + eps) with
  // s = sqrt(1 - beta_2) = sqrt(0.001); TF.js would move lr * g / (g + eps).
  optim::Adam adam({.learning_rate = 0.1, .epsilon = 1e-3});
  Flat w = test::one_step(adam, {0.0}, {1e-4});
  const double s = std::sqrt(0.001);
  CHECK(w[0] == doctest::Approx(-0.1 * s * 1e-4 / (s * 1e-4 + 1e-3)).epsilon(1e-12));
  CHECK(std::abs(w[0] - (-0.1 * 1e-4 / (1e-4 + 1e-3))) > 1e-3);
}

TEST_CASE("Adam: ten steps on a bowl with two parameters follow the Keras formula") {
  for (bool amsgrad : {false, true}) {
    CAPTURE(amsgrad);
    optim::Adam adam({.learning_rate = 0.05, .beta_1 = 0.8, .beta_2 = 0.95, .epsilon = 1e-6, .amsgrad = amsgrad});
    auto path = test::run_bowl<double>(adam, 10);
    AdamReference reference{.lr = 0.05, .beta_1 = 0.8, .beta_2 = 0.95, .epsilon = 1e-6, .amsgrad = amsgrad};
    auto expected = test::run_reference(std::ref(reference), 10);
    CHECK(test::total_movement(path) > 0.3);
    CHECK(test::max_difference(path, expected) < 1e-13);
    CHECK(adam.iterations() == 10);
  }
}

TEST_CASE("Adam: amsgrad keeps the largest v, so it departs from Adam once gradients shrink") {
  // beta_1 = 0, beta_2 = 0.5, eps = 0; g = 1 then g = 0.1. At step 2 v falls to 0.255 while v_hat keeps 0.5.
  optim::Adam plain({.learning_rate = 0.1, .beta_1 = 0.0, .beta_2 = 0.5, .epsilon = 0.0});
  optim::Adam ams({.learning_rate = 0.1, .beta_1 = 0.0, .beta_2 = 0.5, .epsilon = 0.0, .amsgrad = true});
  // Step 1: v = 0.5, alpha = 0.1 sqrt(0.5), m = 1: the step is 0.1 for both.
  Flat a = test::one_step(plain, {0.0}, {1.0});
  Flat b = test::one_step(ams, {0.0}, {1.0});
  CHECK(a[0] == doctest::Approx(-0.1));
  CHECK(b[0] == doctest::Approx(-0.1));
  // Step 2: v = 0.5 * 0.5 + 0.5 * 0.01 = 0.255, alpha = 0.1 sqrt(0.75), m = 0.1.
  // Plain: 0.1 sqrt(0.75) * 0.1 / sqrt(0.255); AMSGrad divides by sqrt(max(0.5, 0.255)) = sqrt(0.5).
  a = test::one_step(plain, a, {0.1});
  b = test::one_step(ams, b, {0.1});
  CHECK(a[0] == doctest::Approx(-0.1 - 0.1 * std::sqrt(0.75) * 0.1 / std::sqrt(0.255)).epsilon(1e-12));
  CHECK(b[0] == doctest::Approx(-0.1 - 0.1 * std::sqrt(0.75) * 0.1 / std::sqrt(0.5)).epsilon(1e-12));
  CHECK(ams.slot_names() == std::vector<std::string>{"m", "v", "vhat"});
}

TEST_CASE("Adam: Keras's golden AMSGrad run") {
  // keras/src/optimizers/adam_test.py test_correctness_with_golden: Adam(amsgrad=True).
  optim::Adam adam({.amsgrad = true});
  auto rows = test::keras_golden_run(adam);
  std::vector<Flat> golden;
  for (double x : {0.999, 0.9982, 0.9974, 0.9965, 0.9955}) golden.push_back(Flat(10, x));
  test::check_golden(rows, golden);
}

TEST_CASE("Adam: the step count advances once per step, not once per parameter") {
  // Two parameters with equal gradients get equal updates only if both see the same bias correction t.
  optim::Adam adam({.learning_rate = 0.1});
  ParamD p1{.name = "a", .value = MatrixT<double>::Zero(1, 1), .grad = MatrixT<double>::Constant(1, 1, 2.0)};
  ParamD p2 = p1;
  ParamD p3 = p1;
  ParamD* params[] = {&p1, &p2, &p3};
  for (int s = 1; s <= 3; ++s) {
    adam.step(std::span<ParamD* const>(params));
    CHECK(adam.iterations() == s);
    CHECK(p2.value(0, 0) == p1.value(0, 0));
    CHECK(p3.value(0, 0) == p1.value(0, 0));
  }
  // With a constant gradient m / sqrt(v) = (1 - b1^t) / sqrt(1 - b2^t) exactly, so each step is lr (up to eps).
  CHECK(p1.value(0, 0) == doctest::Approx(-0.3).epsilon(1e-5));
}

TEST_CASE("Adam: float parameters follow the double trajectory") {
  optim::Adam f({.learning_rate = 0.05});
  optim::Adam d({.learning_rate = 0.05});
  auto pf = test::run_bowl<float>(f, 10);
  auto pd = test::run_bowl<double>(d, 10);
  CHECK(test::max_difference(pf, pd) < 1e-5);
}

TEST_CASE("Adam: config carries Keras's keys and defaults") {
  auto c = optim::Adam().config();
  CHECK(c["name"] == "adam");
  CHECK(c["learning_rate"] == 0.001);
  CHECK(c["beta_1"] == 0.9);
  CHECK(c["beta_2"] == 0.999);
  CHECK(c["epsilon"] == 1e-7);
  CHECK(c["amsgrad"] == false);
  CHECK(c["weight_decay"].is_null());
  CHECK(c["clipnorm"].is_null());
  CHECK(c["clipvalue"].is_null());
  CHECK(c["global_clipnorm"].is_null());
  CHECK(optim::Adam().slot_names() == std::vector<std::string>{"m", "v"});
}

TEST_CASE("Adam: bad options are refused with the option named") {
  CHECK_THROWS_WITH_AS(optim::Adam({.learning_rate = -0.1}), doctest::Contains("learning_rate"), Error);
  CHECK_THROWS_WITH_AS(optim::Adam({.learning_rate = 0.0}), doctest::Contains("learning_rate > 0"), Error);
  CHECK_THROWS_WITH_AS(optim::Adam({.beta_1 = 1.0}), doctest::Contains("0 <= beta_1 < 1"), Error);
  CHECK_THROWS_WITH_AS(optim::Adam({.beta_1 = -0.1}), doctest::Contains("beta_1=-0.1"), Error);
  CHECK_THROWS_WITH_AS(optim::Adam({.beta_2 = 1.5}), doctest::Contains("beta_2"), Error);
  CHECK_THROWS_WITH_AS(optim::Adam({.epsilon = -1e-7}), doctest::Contains("Adam: bad epsilon"), Error);
  CHECK_THROWS_WITH_AS(optim::Adam({.beta_1 = std::nan("")}), doctest::Contains("beta_1 is missing or NaN"), Error);
}
