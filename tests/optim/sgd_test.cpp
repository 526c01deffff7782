// SGD: hand-computed Keras 3 steps (plain, momentum, Nesterov), trajectories against independent loops, the step
// counter, double parameters, slots, and bad inputs.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <vector>

using namespace descent;
using optim::ParamD;

namespace {

// Parameters in the build's Scalar precision, as Dense hands them over.
Param param(std::initializer_list<double> value, std::initializer_list<double> grad, std::string name = "w") {
  Param p{std::move(name), Matrix(1, static_cast<Index>(value.size())), Matrix(1, static_cast<Index>(grad.size()))};
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

TEST_CASE("SGD defaults are Keras's: lr 0.01, momentum 0, no Nesterov") {
  optim::SGD sgd;
  CHECK(sgd.learning_rate() == 0.01);
  CHECK(sgd.options().momentum == 0.0);
  CHECK_FALSE(sgd.options().nesterov);
  CHECK(sgd.class_name() == "SGD");
  CHECK_FALSE(sgd.full_batch());
  CHECK_FALSE(sgd.converged());
  CHECK(sgd.slot_names().empty());
  CHECK(optim::SGD({.momentum = 0.9}).slot_names() == std::vector<std::string>{"momentum"});
}

TEST_CASE("SGD one step: w <- w - lr g") {
  // lr 0.1, w = [1, -2], g = [0.5, 0.25]: [1 - 0.05, -2 - 0.025] = [0.95, -2.025].
  optim::SGD sgd({.learning_rate = 0.1});
  Param w = param({1, -2}, {0.5, 0.25});
  step(sgd, {&w});
  CHECK(w.value(0, 0) == doctest::Approx(0.95).epsilon(kEps));
  CHECK(w.value(0, 1) == doctest::Approx(-2.025).epsilon(kEps));
  CHECK(sgd.iterations() == 1);
}

TEST_CASE("SGD with momentum: v <- mu v - lr g; w <- w + v (Keras 3)") {
  // lr 0.1, mu 0.9, w = [1, -2].
  // Step 1, g = [0.5, 0.25]: v = [-0.05, -0.025]; w = [0.95, -2.025].
  // Step 2, g = [1, -1]:     v = 0.9 [-0.05, -0.025] - 0.1 [1, -1] = [-0.145, 0.0775]; w = [0.805, -1.9475].
  optim::SGD sgd({.learning_rate = 0.1, .momentum = 0.9});
  Param w = param({1, -2}, {0.5, 0.25});
  step(sgd, {&w});
  CHECK(w.value(0, 0) == doctest::Approx(0.95).epsilon(kEps));
  CHECK(w.value(0, 1) == doctest::Approx(-2.025).epsilon(kEps));
  // The slot holds Keras's v (TF.js would hold a = -v / lr = g).
  CHECK(sgd.slot(0, 0)(0, 0) == doctest::Approx(-0.05).epsilon(kEps));
  w.grad << 1, -1;
  step(sgd, {&w});
  CHECK(w.value(0, 0) == doctest::Approx(0.805).epsilon(kEps));
  CHECK(w.value(0, 1) == doctest::Approx(-1.9475).epsilon(kEps));
  CHECK(sgd.slot(0, 0)(0, 1) == doctest::Approx(0.0775).epsilon(kEps));
}

TEST_CASE("SGD with Nesterov momentum: v <- mu v - lr g; w <- w + mu v - lr g (Keras 3)") {
  // Step 1, g = [0.5, 0.25]: v = [-0.05, -0.025]; w += 0.9 v - 0.1 g = [-0.095, -0.0475] -> [0.905, -2.0475].
  // Step 2, g = [1, -1]:     v = [-0.145, 0.0775]; w += [-0.1305 - 0.1, 0.06975 + 0.1] -> [0.6745, -1.87775].
  optim::SGD sgd({.learning_rate = 0.1, .momentum = 0.9, .nesterov = true});
  Param w = param({1, -2}, {0.5, 0.25});
  step(sgd, {&w});
  CHECK(w.value(0, 0) == doctest::Approx(0.905).epsilon(kEps));
  CHECK(w.value(0, 1) == doctest::Approx(-2.0475).epsilon(kEps));
  w.grad << 1, -1;
  step(sgd, {&w});
  CHECK(w.value(0, 0) == doctest::Approx(0.6745).epsilon(kEps));
  CHECK(w.value(0, 1) == doctest::Approx(-1.87775).epsilon(kEps));
}

TEST_CASE("SGD trajectories on f(w) = a w^2 / 2 match a closed form and TF.js's parameterisation") {
  const double a = 3.0, lr = 0.1, w0 = 2.0;
  SUBCASE("plain: w_t = w0 (1 - lr a)^t") {
    optim::SGD sgd({.learning_rate = lr});
    Param w = param({w0}, {0});
    for (int t = 1; t <= 20; ++t) {
      w.grad(0, 0) = static_cast<Scalar>(a * w.value(0, 0));
      step(sgd, {&w});
      CHECK(w.value(0, 0) == doctest::Approx(w0 * std::pow(1 - lr * a, t)).epsilon(std::is_same_v<Scalar, double> ? 1e-12 : 1e-5));
    }
  }
  // TF.js keeps a = mu a + g and steps w -= lr a (Nesterov: w -= lr (g + mu a)); for a constant lr this is the same
  // trajectory as Keras's velocity form, so it is an independent reference.
  for (bool nesterov : {false, true}) {
    CAPTURE(nesterov);
    const double mu = 0.8;
    optim::SGD sgd({.learning_rate = lr, .momentum = mu, .nesterov = nesterov});
    Param w = param({w0}, {0});
    double ref = w0, acc = 0;
    for (int t = 1; t <= 30; ++t) {
      w.grad(0, 0) = static_cast<Scalar>(a * w.value(0, 0));
      step(sgd, {&w});
      double g = a * ref;
      acc = mu * acc + g;
      ref -= nesterov ? lr * (g + mu * acc) : lr * acc;
      CHECK(w.value(0, 0) == doctest::Approx(ref).epsilon(std::is_same_v<Scalar, double> ? 1e-10 : 1e-4));
    }
    CHECK(std::abs(ref) < 0.05);  // the reference itself converges: the comparison is not between two constants
  }
}

TEST_CASE("the step counter advances once per step, not once per parameter") {
  optim::SGD sgd({.learning_rate = 0.1, .momentum = 0.5});
  Param a = param({1, 2}, {1, 1}, "kernel"), b = param({3}, {1}, "bias"), c = param({4, 5, 6}, {1, 1, 1}, "k2");
  for (int t = 1; t <= 5; ++t) {
    step(sgd, {&a, &b, &c});
    CHECK(sgd.iterations() == t);
  }
  // Slots are kept per position, each with its parameter's shape.
  CHECK(sgd.slotted_params() == 3);
  CHECK(sgd.slot(2, 0).cols() == 3);
  CHECK(sgd.slot(1, 0).cols() == 1);
  sgd.set_iterations(41);
  step(sgd, {&a, &b, &c});
  CHECK(sgd.iterations() == 42);
}

TEST_CASE("double parameters step in double precision in either build") {
  ParamD p{"w", MatrixT<double>(1, 2), MatrixT<double>(1, 2), false};
  p.value << 1.0, -2.0;
  p.grad << 0.3, 0.7;
  optim::SGD sgd({.learning_rate = 0.1});
  std::vector<ParamD*> params{&p};
  sgd.step(std::span<ParamD* const>(params));
  // Exactly the double arithmetic: a float path would round 0.1 * 0.3 differently.
  CHECK(p.value(0, 0) == 1.0 - 0.1 * 0.3);
  CHECK(p.value(0, 1) == -2.0 - 0.1 * 0.7);
  CHECK(sgd.iterations() == 1);

  optim::SGD momentum({.learning_rate = 0.1, .momentum = 0.9});
  p.value << 1.0, -2.0;
  p.grad << 0.5, 0.25;
  momentum.step(std::span<ParamD* const>(params));
  p.grad << 1, -1;
  momentum.step(std::span<ParamD* const>(params));
  CHECK(p.value(0, 0) == doctest::Approx(0.805).epsilon(1e-14));
  CHECK(p.value(0, 1) == doctest::Approx(-1.9475).epsilon(1e-14));
}

TEST_CASE("SGD rejects bad hyper-parameters") {
  CHECK_THROWS_WITH_AS(optim::SGD({.learning_rate = 0}),
                       doctest::Contains("received learning_rate=0."), Error);
  CHECK_THROWS_WITH_AS(optim::SGD({.learning_rate = -0.1}), doctest::Contains("received learning_rate=-0.1"), Error);
  CHECK_THROWS_WITH_AS(optim::SGD({.learning_rate = std::nan("")}), doctest::Contains("learning_rate=nan"), Error);
  CHECK_THROWS_WITH_AS(optim::SGD({.learning_rate = std::numeric_limits<double>::infinity()}),
                       doctest::Contains("learning_rate=inf"), Error);
  CHECK_THROWS_WITH_AS(optim::SGD({.momentum = 1.5}),
                       doctest::Contains("momentum in [0, 1]; received momentum=1.5"), Error);
  // Messages start with the class name.
  CHECK(message_of([] { optim::SGD({.momentum = 1.5}); }).rfind("SGD: ", 0) == 0);
  CHECK(message_of([] { optim::SGD({.learning_rate = 0}); }).rfind("SGD: ", 0) == 0);
  CHECK_THROWS_WITH_AS(optim::SGD({.momentum = -0.1}), doctest::Contains("received momentum=-0.1"), Error);
  CHECK_THROWS_WITH_AS(optim::SGD({.momentum = std::nan("")}), doctest::Contains("momentum=nan"), Error);
  CHECK_NOTHROW(optim::SGD({.momentum = 0.0}));
  CHECK_NOTHROW(optim::SGD({.momentum = 1.0}));
  optim::SGD sgd;
  CHECK_THROWS_WITH_AS(sgd.set_learning_rate(-1), doctest::Contains("received learning_rate=-1"), Error);
  sgd.set_learning_rate(0.5);
  CHECK(sgd.learning_rate() == 0.5);
}

TEST_CASE("SGD rejects gradients of the wrong shape and a changed parameter list, without stepping") {
  optim::SGD sgd({.learning_rate = 0.1});
  Param a = param({1, 2}, {1, 1}, "kernel"), b = param({3}, {1}, "bias");
  Param bad{"kernel", Matrix::Ones(1, 2), Matrix::Ones(2, 1)};
  CHECK_THROWS_WITH_AS(step(sgd, {&bad}),
                       doctest::Contains("SGD: parameter 0 'kernel' has value 1 x 2 but gradient 2 x 1"), Error);
  CHECK(sgd.iterations() == 0);
  CHECK(bad.value.isOnes());

  optim::SGD two({.learning_rate = 0.1});
  step(two, {&a, &b});
  CHECK_THROWS_WITH_AS(step(two, {&a}),
                       doctest::Contains("SGD: step expected the 2 parameters it was first used with; received 1"),
                       Error);
  CHECK(two.iterations() == 1);
  CHECK(a.value(0, 0) == doctest::Approx(0.9).epsilon(kEps));
  // reset() forgets the list, so another model may use the optimizer.
  two.reset();
  CHECK(two.iterations() == 0);
  CHECK_NOTHROW(step(two, {&a}));
  CHECK(two.iterations() == 1);
}

TEST_CASE("SGD config") {
  optim::SGD sgd({.learning_rate = 0.05, .momentum = 0.9, .nesterov = true});
  auto c = sgd.config();
  CHECK(c["name"] == "SGD");
  CHECK(c["learning_rate"] == 0.05);
  CHECK(c["momentum"] == 0.9);
  CHECK(c["nesterov"] == true);
}
