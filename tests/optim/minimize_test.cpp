// optim::minimize: closed-form gradient-descent paths, stopping rules, divergence, optimizers, bad input.
#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

using namespace descent;
using optim::StopReason;

namespace {

// f(x) = a x^2 + b x + c, minimum at x* = -b / (2a). A GD step x <- x - lr (2a x + b) gives
// x_{k+1} - x* = (1 - 2a lr)(x_k - x*), hence x_k = x* + (x0 - x*) r^k with r = 1 - 2a lr.
struct Quadratic {
  double a, b, c;
  double operator()(double x) const { return a * x * x + b * x + c; }
  double derivative(double x) const { return 2 * a * x + b; }
  double minimum() const { return -b / (2 * a); }
  double closed_form(double x0, double lr, int k) const {
    return minimum() + (x0 - minimum()) * std::pow(1 - 2 * a * lr, k);
  }
  // The update from x_k is -lr f'(x_k) = -2a lr (x_k - x*), of size 2a lr |x0 - x*| |r|^k; minimize stops at the
  // first k where that is <= tol, after k updates. `margin` is how far the real-valued solution is from an integer.
  int stopping_iteration(double x0, double lr, double tol, double* margin) const {
    double first = 2 * a * lr * std::abs(x0 - minimum());
    double k = std::log(tol / first) / std::log(std::abs(1 - 2 * a * lr));
    *margin = std::min(k - std::floor(k), std::ceil(k) - k);
    return static_cast<int>(std::ceil(k));
  }
};

const Quadratic walkthrough{3, -2, -3};  // f(x) = 3x^2 - 2x - 3, x* = 1/3

auto derivative_of(const Quadratic& q) {
  return [q](double x) { return q.derivative(x); };
}
auto value_of(const Quadratic& q) {
  return [q](double x) { return q(x); };
}

double bowl(const Vector& x) {  // sum_i (i + 1) x_i^2
  double s = 0;
  for (Index i = 0; i < x.size(); ++i) s += (i + 1.0) * x[i] * x[i];
  return s;
}
Vector bowl_gradient(const Vector& x) {
  Vector g(x.size());
  for (Index i = 0; i < x.size(); ++i) g[i] = static_cast<Scalar>(2 * (i + 1.0) * x[i]);
  return g;
}

// A user-written optimizer: gradient descent with each gradient component clipped to [-1, 1].
class ClippedDescent : public optim::Optimizer {
 public:
  explicit ClippedDescent(double learning_rate) : Optimizer(learning_rate) {}
  std::string class_name() const override { return "ClippedDescent"; }
  nlohmann::json config() const override { return {{"learning_rate", learning_rate()}}; }

 protected:
  void update(optim::ParamF& p, std::size_t) override { apply(p); }
  void update(optim::ParamD& p, std::size_t) override { apply(p); }

 private:
  template <class T>
  void apply(BasicParam<T>& p) {
    p.value -= static_cast<T>(current_learning_rate()) * p.grad.cwiseMax(T(-1)).cwiseMin(T(1));
  }
};

// Implements only the float update, as the Optimizer documentation allows.
class FloatOnly : public optim::Optimizer {
 public:
  FloatOnly() : Optimizer(0.1) {}
  std::string class_name() const override { return "FloatOnly"; }
  nlohmann::json config() const override { return nlohmann::json::object(); }

 protected:
  void update(optim::ParamF& p, std::size_t) override { p.value -= 0.1f * p.grad; }
};

}  // namespace

TEST_CASE("minimize: GD iterates follow x_k = x* + (x0 - x*)(1 - 2a lr)^k to 1e-12") {
  for (double lr : {0.001, 0.01, 0.1, 0.25}) {
    CAPTURE(lr);
    auto r = optim::minimize(value_of(walkthrough), derivative_of(walkthrough), 8.0,
                             optim::GD({.learning_rate = lr}), {.max_iterations = 60, .tolerance = 0.0});
    REQUIRE(r.history.size() == static_cast<std::size_t>(r.iterations) + 1);
    REQUIRE(r.f_history.size() == r.history.size());
    for (int k = 0; k <= r.iterations; ++k) {
      CAPTURE(k);
      double expected = walkthrough.closed_form(8.0, lr, k);
      CHECK(std::abs(r.history[k] - expected) <= 1e-12);
      CHECK(std::abs(r.f_history[k] - walkthrough(expected)) <= 1e-10 * std::max(1.0, std::abs(walkthrough(expected))));
    }
    CHECK(r.x == r.history.back());
    CHECK(r.gradient_norm == doctest::Approx(std::abs(walkthrough.derivative(r.x))).epsilon(1e-12));
  }
}

TEST_CASE("minimize: the tolerance stops GD at the iteration the closed form predicts") {
  for (double lr : {0.01, 0.05, 0.1, 0.2, 0.3}) {
    CAPTURE(lr);
    double margin = 0;
    int expected = walkthrough.stopping_iteration(8.0, lr, 1e-5, &margin);
    REQUIRE(margin > 1e-3);  // the prediction is not at the edge of rounding
    auto r = optim::minimize(derivative_of(walkthrough), 8.0, optim::GD({.learning_rate = lr}),
                             {.max_iterations = 10000, .tolerance = 1e-5});
    CHECK(r.stop_reason == StopReason::tolerance);
    CHECK(r.converged);
    CHECK(r.iterations == expected);
    CHECK(std::abs(r.x - walkthrough.closed_form(8.0, lr, expected)) <= 1e-12);
    // The unapplied update that met the tolerance: -lr f'(x).
    CHECK(r.max_update == doctest::Approx(lr * std::abs(walkthrough.derivative(r.x))).epsilon(1e-9).scale(0));
    CHECK(r.max_update <= 1e-5);
  }
}

TEST_CASE("minimize: the NumPy walkthrough on f = v^2 from 10 (closed form 10 (1 - 2 lr)^k)") {
  auto df = [](double v) { return 2 * v; };
  // lr 0.2: |update| = 0.4 * 10 * 0.6^k <= 1e-6 first at k = 30.
  auto fast = optim::minimize(df, 10.0, optim::GD({.learning_rate = 0.2}), {.tolerance = 1e-6});
  CHECK(fast.iterations == 30);
  CHECK(std::abs(fast.x - 10 * std::pow(0.6, 30)) <= 1e-18);
  // lr 0.8: r = -0.6 oscillates; 1.6 * 10 * 0.6^k <= 1e-6 first at k = 33.
  auto oscillating = optim::minimize(df, 10.0, optim::GD({.learning_rate = 0.8}), {.tolerance = 1e-6});
  CHECK(oscillating.iterations == 33);
  CHECK(std::abs(oscillating.x - 10 * std::pow(-0.6, 33)) <= 1e-18);
  CHECK(oscillating.x < 0);
  // lr 0.005: 50 iterations (the default) leave x = 10 * 0.99^50, far from 0.
  auto slow = optim::minimize(df, 10.0, optim::GD({.learning_rate = 0.005}), {.tolerance = 1e-6});
  CHECK(slow.stop_reason == StopReason::iteration_limit);
  CHECK(!slow.converged);
  CHECK(slow.iterations == 50);
  CHECK(std::abs(slow.x - 10 * std::pow(0.99, 50)) <= 1e-12);
}

TEST_CASE("minimize: monotone below lr = 1/(2a), oscillating between 1/(2a) and 1/a, diverging above 1/a") {
  // f = 2x^2 - 4x + 1: a = 2, x* = 1, f'(5) = 16; 1/(2a) = 0.25 and 1/a = 0.5 are exact in binary.
  const Quadratic q{2, -4, 1};
  auto sign_changes = [&](const std::vector<double>& path) {
    int changes = 0;
    for (std::size_t k = 1; k < path.size(); ++k) changes += (path[k] - 1) * (path[k - 1] - 1) < 0;
    return changes;
  };
  auto run = [&](double lr) {
    return optim::minimize(derivative_of(q), 5.0, optim::GD({.learning_rate = lr}),
                           {.max_iterations = 20000, .tolerance = 1e-5});
  };

  auto below = run(0.24);
  CHECK(below.converged);
  CHECK(sign_changes(below.history) == 0);

  auto exact = run(0.25);  // 5 - 0.25 * 16 = 1: the minimum in one step, then a zero update
  CHECK(exact.converged);
  CHECK(exact.iterations == 1);
  CHECK(exact.x == 1.0);
  CHECK(exact.max_update == 0.0);

  auto between = run(0.26);
  CHECK(between.converged);
  CHECK(sign_changes(between.history) == between.iterations);

  auto just_below_limit = run(0.5 * (1 - 1e-3));  // r = -0.998: slow, oscillating, converging
  CHECK(just_below_limit.converged);
  CHECK(sign_changes(just_below_limit.history) == just_below_limit.iterations);

  auto limit = run(0.5);  // r = -1: 5, -3, 5, -3, ... exactly, neither converging nor diverging
  CHECK(limit.stop_reason == StopReason::iteration_limit);
  CHECK(limit.iterations == 20000);
  CHECK(limit.history[1] == -3.0);
  CHECK(limit.x == 5.0);

  auto above = run(0.5 * (1 + 1e-3));  // r = -1.002: grows without bound
  CHECK(above.stop_reason == StopReason::diverged);
  CHECK(!above.converged);
  CHECK(above.iterations < 20000);
  CHECK(std::isfinite(above.x));
}

TEST_CASE("minimize: divergence stops at the first point past the bound, or keeps the last finite point") {
  auto df = [](double x) { return 2 * x; };  // f = x^2 from 1 with lr 1.5: x_k = (-2)^k
  // Without f: |f'(x_k)| = 2 * 2^k passes 100 * max(1, |f'(x0)|) = 200 first at k = 7.
  auto by_gradient = optim::minimize(df, 1.0, optim::GD({.learning_rate = 1.5}),
                                     {.max_iterations = 100, .divergence_factor = 100});
  CHECK(by_gradient.stop_reason == StopReason::diverged);
  CHECK(by_gradient.iterations == 7);
  CHECK(by_gradient.x == -128.0);
  // With f: f(x_k) - f(x0) = 4^k - 1 passes 100 * max(1, |f(x0)|) = 100 first at k = 4.
  auto by_value = optim::minimize([](double x) { return x * x; }, df, 1.0, optim::GD({.learning_rate = 1.5}),
                                  {.max_iterations = 100, .divergence_factor = 100});
  CHECK(by_value.stop_reason == StopReason::diverged);
  CHECK(by_value.iterations == 4);
  CHECK(by_value.x == 16.0);
  CHECK(by_value.f == 256.0);

  // f becomes infinite at x_4 = 16: x_3 = -8 is kept.
  auto inf_value = optim::minimize([](double x) { return std::abs(x) > 10 ? HUGE_VAL : x * x; }, df, 1.0,
                                   optim::GD({.learning_rate = 1.5}), {.max_iterations = 100});
  CHECK(inf_value.stop_reason == StopReason::diverged);
  CHECK(inf_value.iterations == 3);
  CHECK(inf_value.x == -8.0);
  CHECK(inf_value.f == 64.0);

  // The gradient is NaN at x_1 = 1 - 0.75 * 2 = -0.5: the start point is kept.
  auto nan_gradient = optim::minimize([](double x) { return x < 0 ? std::nan("") : 2 * x; }, 1.0,
                                      optim::GD({.learning_rate = 0.75}));
  CHECK(nan_gradient.stop_reason == StopReason::diverged);
  CHECK(nan_gradient.iterations == 0);
  CHECK(nan_gradient.x == 1.0);
  CHECK(nan_gradient.gradient_norm == 2.0);

  // With no growth bound the iterates overflow; the answer is still a finite point, never inf or NaN.
  auto overflow = optim::minimize(df, 1.0, optim::GD({.learning_rate = 1.5}),
                                  {.max_iterations = 5000, .divergence_factor = HUGE_VAL});
  CHECK(overflow.stop_reason == StopReason::diverged);
  CHECK(overflow.iterations < 5000);
  CHECK(std::isfinite(overflow.x));
  CHECK(std::isfinite(overflow.gradient_norm));
}

TEST_CASE("minimize: momentum and Nesterov match hand-computed steps") {
  // f = x^2, x0 = 1, lr = 0.1, momentum 0.9 (Keras SGD: v <- 0.9 v - 0.1 g).
  // Momentum: g0 = 2, v1 = -0.2, x1 = 0.8; g1 = 1.6, v2 = -0.18 - 0.16 = -0.34, x2 = 0.46.
  // Nesterov (x <- x + 0.9 v - 0.1 g): x1 = 1 - 0.18 - 0.2 = 0.62; g1 = 1.24, v2 = -0.18 - 0.124 = -0.304,
  // x2 = 0.62 - 0.2736 - 0.124 = 0.2224.
  auto df = [](double x) { return 2 * x; };
  auto momentum = optim::minimize(df, 1.0, optim::SGD({.learning_rate = 0.1, .momentum = 0.9}),
                                  {.max_iterations = 2});
  REQUIRE(momentum.history.size() == 3);
  CHECK(momentum.history[1] == doctest::Approx(0.8).epsilon(1e-14));
  CHECK(momentum.history[2] == doctest::Approx(0.46).epsilon(1e-14));
  auto nesterov = optim::minimize(df, 1.0, optim::SGD({.learning_rate = 0.1, .momentum = 0.9, .nesterov = true}),
                                  {.max_iterations = 2});
  REQUIRE(nesterov.history.size() == 3);
  CHECK(nesterov.history[1] == doctest::Approx(0.62).epsilon(1e-14));
  CHECK(nesterov.history[2] == doctest::Approx(0.2224).epsilon(1e-14));
  // GD with momentum is the same rule.
  auto gd = optim::minimize(df, 1.0, optim::GD({.learning_rate = 0.1, .momentum = 0.9, .nesterov = true}),
                            {.max_iterations = 2});
  CHECK(gd.x == nesterov.x);
}

TEST_CASE("minimize: every optimizer decreases a convex bowl") {
  Vector x0(3);
  x0 << 1, -2, 3;
  const double f0 = bowl(x0);  // 1 + 8 + 27
  auto check_descends = [&](const optim::MinimizeResult& r) {
    CHECK(r.converged);
    CHECK(r.f < 1e-6 * f0);
    CHECK(r.f == doctest::Approx(bowl(r.x)));
    CHECK(r.x.cwiseAbs().maxCoeff() < 1e-3);
    CHECK(r.gradient_norm == doctest::Approx(bowl_gradient(r.x).norm()));
  };
  const optim::MinimizeOptions options{.max_iterations = 5000, .tolerance = 1e-6};
  auto run = [&](const auto& optimizer) { return optim::minimize(bowl, bowl_gradient, x0, optimizer, options); };
  SUBCASE("GD") { check_descends(run(optim::GD({.learning_rate = 0.05}))); }
  SUBCASE("SGD") { check_descends(run(optim::SGD({.learning_rate = 0.05}))); }
  SUBCASE("SGD momentum") { check_descends(run(optim::SGD({.learning_rate = 0.02, .momentum = 0.9}))); }
  SUBCASE("SGD Nesterov") {
    check_descends(run(optim::SGD({.learning_rate = 0.02, .momentum = 0.9, .nesterov = true})));
  }
  SUBCASE("GD momentum") { check_descends(run(optim::GD({.learning_rate = 0.02, .momentum = 0.5}))); }
  SUBCASE("user-written") { check_descends(run(ClippedDescent(0.05))); }
}

TEST_CASE("minimize: works on its own copy of the optimizer, reset") {
  auto df = [](double x) { return 2 * x; };
  optim::SGD sgd({.learning_rate = 0.1, .momentum = 0.9});
  auto first = optim::minimize(df, 1.0, sgd, {.max_iterations = 5});
  CHECK(first.iterations == 5);
  CHECK(sgd.iterations() == 0);
  CHECK(sgd.slotted_params() == 0);

  // An optimizer used elsewhere, on two parameters with a velocity, would refuse one parameter and carry that
  // velocity; minimize's copy starts from a fresh state, so the path is the same.
  optim::SGD used({.learning_rate = 0.1, .momentum = 0.9});
  optim::ParamD a{.name = "a", .value = MatrixT<double>::Ones(1, 1), .grad = MatrixT<double>::Ones(1, 1)};
  optim::ParamD b = a;
  optim::ParamD* list[] = {&a, &b};
  used.step(list);
  auto again = optim::minimize(df, 1.0, used, {.max_iterations = 5});
  CHECK(again.history == first.history);
  CHECK(used.iterations() == 1);
}

TEST_CASE("minimize: the vector form with x0 an Eigen expression, and without history") {
  auto r = optim::minimize(bowl_gradient, Vector::Constant(2, 1.0), optim::GD({.learning_rate = 0.1}),
                           {.max_iterations = 500, .record_history = false});
  CHECK(r.history.empty());
  CHECK(r.f_history.empty());
  CHECK(std::isnan(r.f));
  CHECK(r.converged);
  // x_k = (0.8^k, 0.6^k); the update -0.1 g is (0.2 * 0.8^k, 0.4 * 0.6^k), first <= 1e-5 when 0.2 * 0.8^k is:
  // k = ceil(log(5e-5) / log(0.8)) = 45.
  CHECK(r.iterations == 45);
  CHECK(r.x[0] == doctest::Approx(std::pow(0.8, 45)).epsilon(1e-4));
}

TEST_CASE("minimize: tolerance_on_norm compares the update's Euclidean norm instead of its largest component") {
  // f = |x|^2 from (3, 4) with lr 0.25: the update from x_k = (3, 4) 0.5^k is -0.5 x_k, largest component
  // 2 * 0.5^k and norm 2.5 * 0.5^k. With tolerance 0.3 the first is small enough at k = 3 (0.25), the norm at
  // k = 4 (0.156; at k = 3 it is 0.3125).
  auto gradient = [](const Vector& x) { return Vector(2 * x); };
  Vector x0(2);
  x0 << 3, 4;
  auto by_component = optim::minimize(gradient, x0, optim::GD({.learning_rate = 0.25}), {.tolerance = 0.3});
  auto by_norm = optim::minimize(gradient, x0, optim::GD({.learning_rate = 0.25}),
                                 {.tolerance = 0.3, .tolerance_on_norm = true});
  CHECK(by_component.converged);
  CHECK(by_component.iterations == 3);
  CHECK(by_norm.converged);
  CHECK(by_norm.iterations == 4);
  CHECK(by_norm.update_norm == doctest::Approx(2.5 / 16));
}

TEST_CASE("minimize: zero iterations return the start point") {
  auto r = optim::minimize(derivative_of(walkthrough), 8.0, optim::GD(), {.max_iterations = 0});
  CHECK(r.x == 8.0);
  CHECK(r.iterations == 0);
  CHECK(r.stop_reason == StopReason::iteration_limit);
  CHECK(r.gradient_norm == 46.0);
  CHECK(r.history == std::vector<double>{8.0});
}

TEST_CASE("minimize: bad input throws descent::Error naming the problem") {
  Vector x0 = Vector::Constant(2, 1.0);
  CHECK_THROWS_WITH_AS(optim::minimize(bowl_gradient, Vector(), optim::GD()), doctest::Contains("x0 of size 0"),
                       Error);
  auto wrong_size = [](const Vector&) { return Vector::Zero(3).eval(); };
  CHECK_THROWS_WITH_AS(optim::minimize(wrong_size, x0, optim::GD()),
                       doctest::Contains("gradient of size 3 for x of size 2"), Error);
  CHECK_THROWS_WITH_AS(optim::minimize(bowl_gradient, x0, optim::GD({.learning_rate = 0.0})),
                       doctest::Contains("learning_rate=0"), Error);
  CHECK_THROWS_WITH_AS(optim::minimize(bowl_gradient, x0, optim::GD({.learning_rate = -0.1})),
                       doctest::Contains("learning_rate=-0.1"), Error);
  CHECK_THROWS_WITH_AS(optim::minimize(bowl_gradient, x0, optim::SGD({.learning_rate = std::nan("")})),
                       doctest::Contains("learning_rate=nan"), Error);
  CHECK_THROWS_WITH_AS(optim::minimize(bowl_gradient, x0, optim::GD(), {.max_iterations = -1}),
                       doctest::Contains("max_iterations=-1"), Error);
  CHECK_THROWS_WITH_AS(optim::minimize(bowl_gradient, x0, optim::GD(), {.tolerance = -1e-5}),
                       doctest::Contains("tolerance=-1e-05"), Error);
  CHECK_THROWS_WITH_AS(optim::minimize(derivative_of(walkthrough), std::nan(""), optim::GD()),
                       doctest::Contains("x0[0]=nan"), Error);
  CHECK_THROWS_WITH_AS(optim::minimize(derivative_of(walkthrough), 8.0, FloatOnly()),
                       doctest::Contains("double"), Error);
}

TEST_CASE("StopReason prints its name") {
  CHECK(std::string(optim::to_string(StopReason::tolerance)) == "tolerance");
  CHECK(std::string(optim::to_string(StopReason::iteration_limit)) == "iteration_limit");
  CHECK(std::string(optim::to_string(StopReason::diverged)) == "diverged");
}
