// GD: SGD's rule fed the whole training set, with the tolerance stop of classic gradient descent.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <vector>

using namespace descent;
using optim::ParamD;

namespace {

Param param(std::initializer_list<double> value, std::initializer_list<double> grad) {
  Param p{"w", Matrix(1, static_cast<Index>(value.size())), Matrix(1, static_cast<Index>(grad.size()))};
  Index j = 0;
  for (double v : value) p.value(0, j++) = static_cast<Scalar>(v);
  j = 0;
  for (double g : grad) p.grad(0, j++) = static_cast<Scalar>(g);
  return p;
}

void step(optim::Optimizer& opt, std::vector<Param*> params) { opt.step(std::span<Param* const>(params)); }

// The message an expression throws, or "" when it does not throw.
template <class F>
std::string message_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

constexpr double kEps = std::is_same_v<Scalar, double> ? 1e-12 : 1e-6;

}  // namespace

TEST_CASE("GD defaults, identity and config") {
  optim::GD gd;
  CHECK(gd.class_name() == "GD");
  CHECK(gd.learning_rate() == 0.01);
  CHECK(gd.tolerance() == 1e-5);
  CHECK(gd.full_batch());
  CHECK_FALSE(gd.converged());  // no step yet
  auto c = optim::GD({.learning_rate = 0.2, .tolerance = 1e-3, .momentum = 0.5}).config();
  CHECK(c["name"] == "GD");
  CHECK(c["learning_rate"] == 0.2);
  CHECK(c["tolerance"] == 1e-3);
  CHECK(c["momentum"] == 0.5);
  CHECK(c["nesterov"] == false);
}

TEST_CASE("GD one step is SGD's step") {
  optim::GD gd({.learning_rate = 0.1});
  Param w = param({1, -2}, {0.5, 0.25});
  step(gd, {&w});
  CHECK(w.value(0, 0) == doctest::Approx(0.95).epsilon(kEps));
  CHECK(w.value(0, 1) == doctest::Approx(-2.025).epsilon(kEps));
  CHECK(gd.iterations() == 1);
  CHECK(gd.largest_update() == doctest::Approx(0.05).epsilon(kEps));
}

TEST_CASE("GD converged() once no weight moved by more than the tolerance in the last step") {
  optim::GD gd({.learning_rate = 0.1, .tolerance = 1e-4});
  Param a = param({1, 2}, {1e-4, -5e-4}), b = param({3}, {2e-3});
  step(gd, {&a, &b});
  // Largest |lr g| over both parameters: 0.1 * 2e-3 = 2e-4 > 1e-4.
  CHECK(gd.largest_update() == doctest::Approx(2e-4).epsilon(1e-5));
  CHECK_FALSE(gd.converged());
  b.grad(0, 0) = Scalar(-9e-4);  // now 9e-5, and a's largest is 5e-5
  step(gd, {&a, &b});
  CHECK(gd.largest_update() == doctest::Approx(9e-5).epsilon(1e-5));
  CHECK(gd.converged());
  b.grad(0, 0) = Scalar(1);  // one big step un-converges it: the rule looks at the last step only
  step(gd, {&a, &b});
  CHECK_FALSE(gd.converged());
}

TEST_CASE("GD with momentum measures the actual move") {
  // lr 0.1, mu 0.5, g = 1 twice: v1 = -0.1, v2 = 0.5 (-0.1) - 0.1 = -0.15. Nesterov moves mu v - lr g:
  // step 1: -0.05 - 0.1 = -0.15; step 2: -0.075 - 0.1 = -0.175.
  optim::GD gd({.learning_rate = 0.1, .tolerance = 0.12, .momentum = 0.5});
  optim::GD nesterov({.learning_rate = 0.1, .tolerance = 0.12, .momentum = 0.5, .nesterov = true});
  Param w = param({0}, {1}), u = param({0}, {1});
  step(gd, {&w});
  step(nesterov, {&u});
  CHECK(gd.largest_update() == doctest::Approx(0.1).epsilon(kEps));
  CHECK(gd.converged());
  CHECK(nesterov.largest_update() == doctest::Approx(0.15).epsilon(kEps));
  CHECK_FALSE(nesterov.converged());
  step(gd, {&w});
  step(nesterov, {&u});
  CHECK(gd.largest_update() == doctest::Approx(0.15).epsilon(kEps));
  CHECK_FALSE(gd.converged());
  CHECK(nesterov.largest_update() == doctest::Approx(0.175).epsilon(kEps));
  CHECK(w.value(0, 0) == doctest::Approx(-0.25).epsilon(kEps));
  CHECK(u.value(0, 0) == doctest::Approx(-0.325).epsilon(kEps));
}

TEST_CASE("GD on f(x) = 3x^2 - 2x - 3 follows the closed form and stops where the tolerance says") {
  // f' = 6x - 2, minimum at 1/3. With lr 0.001: x_t - 1/3 = (x_0 - 1/3) (1 - 0.006)^t.
  // Step t moves lr |f'(x_{t-1})| = 0.006 |x_{t-1} - 1/3|, so the first step that moves <= 1e-5 is the smallest t
  // with 0.006 (8 - 1/3) 0.994^(t-1) <= 1e-5.
  const double lr = 0.001, tol = 1e-5, x0 = 8.0;
  optim::GD gd({.learning_rate = lr, .tolerance = tol});
  ParamD x{"x", MatrixT<double>::Constant(1, 1, x0), MatrixT<double>::Zero(1, 1), false};
  std::vector<ParamD*> params{&x};
  const int expected_steps = 1 + static_cast<int>(std::ceil(std::log(tol / (0.006 * (x0 - 1.0 / 3))) / std::log(0.994)));
  int steps = 0;
  while (!gd.converged() && steps < 100000) {
    x.grad(0, 0) = 6 * x.value(0, 0) - 2;
    gd.step(std::span<ParamD* const>(params));
    ++steps;
    if (steps == 100)
      CHECK(x.value(0, 0) == doctest::Approx(1.0 / 3 + (x0 - 1.0 / 3) * std::pow(0.994, 100)).epsilon(1e-12));
  }
  CHECK(expected_steps > 1000);
  CHECK(steps == expected_steps);
  CHECK(gd.iterations() == expected_steps);
  CHECK(x.value(0, 0) == doctest::Approx(1.0 / 3).epsilon(2e-3));
}

TEST_CASE("GD rejects bad tolerances and inherits SGD's checks") {
  CHECK_THROWS_WITH_AS(optim::GD({.tolerance = -1}), doctest::Contains("GD: expected tolerance >= 0; received tolerance=-1"),
                       Error);
  CHECK_THROWS_WITH_AS(optim::GD({.tolerance = std::nan("")}), doctest::Contains("tolerance=nan"), Error);
  CHECK_THROWS_WITH_AS(optim::GD({.learning_rate = 0}), doctest::Contains("learning_rate=0"), Error);
  CHECK_THROWS_WITH_AS(optim::GD({.momentum = 2}), doctest::Contains("momentum in [0, 1]; received momentum=2"),
                       Error);
  // Messages name GD, not the SGD it builds on.
  CHECK(message_of([] { optim::GD({.momentum = 2}); }).rfind("GD: ", 0) == 0);
  optim::GD gd;
  Param bad{"w", Matrix::Ones(2, 2), Matrix::Ones(1, 2)};
  CHECK_THROWS_WITH_AS(step(gd, {&bad}), doctest::Contains("GD: parameter 0 'w' has value 2 x 2 but gradient 1 x 2"),
                       Error);
}
