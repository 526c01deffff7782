// Every optimizer drives optim::minimize down a convex bowl, in the vector (Scalar) and one-variable (double) forms.
#include <descent/descent.hpp>

#include <doctest/doctest.h>

#include <cmath>

using namespace descent;
using namespace descent::optim;

namespace {

// f(x) = sum_i (i + 1)(x_i - 1)^2: convex, minimum 0 at x = 1, curvatures 2 to 8.
double bowl(const Vector& x) {
  double f = 0;
  for (Index i = 0; i < x.size(); ++i) f += (i + 1.0) * std::pow(static_cast<double>(x[i]) - 1.0, 2);
  return f;
}
Vector bowl_gradient(const Vector& x) {
  Vector g(x.size());
  for (Index i = 0; i < x.size(); ++i) g[i] = static_cast<Scalar>(2.0 * (i + 1.0) * (static_cast<double>(x[i]) - 1.0));
  return g;
}

template <class O>
void check_descends(const char* name, O optimizer) {
  CAPTURE(name);
  const Vector x0 = Vector::Constant(4, Scalar(-2));
  const double f0 = bowl(x0);
  auto r = minimize(bowl, bowl_gradient, x0, optimizer, {.max_iterations = 300, .tolerance = 1e-9});
  CHECK(r.stop_reason != StopReason::diverged);
  CHECK(r.f < 0.05 * f0);
  // The objective recorded along the path ends lower than it started, and most steps go downhill.
  REQUIRE(r.f_history.size() >= 2);
  int downhill = 0;
  for (std::size_t k = 1; k < r.f_history.size(); ++k) downhill += r.f_history[k] < r.f_history[k - 1];
  CHECK(downhill > static_cast<int>(r.f_history.size()) / 2);

  // One variable, in double: f = 3x^2 - 2x - 3 from x0 = 8, minimum at 1/3.
  auto s = minimize([](double x) { return 3 * x * x - 2 * x - 3; }, [](double x) { return 6 * x - 2; }, 8.0,
                    optimizer, {.max_iterations = 300, .tolerance = 1e-9});
  CHECK(s.stop_reason != StopReason::diverged);
  CHECK(std::abs(s.x - 1.0 / 3) < 0.05 * std::abs(8.0 - 1.0 / 3));
}

}  // namespace

TEST_CASE("Every optimizer decreases a convex bowl through minimize") {
  check_descends("SGD", SGD({.learning_rate = 0.05, .momentum = 0.5}));
  check_descends("GD", GD({.learning_rate = 0.05}));
  check_descends("Adam", Adam({.learning_rate = 0.1}));
  check_descends("Adam amsgrad", Adam({.learning_rate = 0.1, .amsgrad = true}));
  check_descends("AdamW", AdamW({.learning_rate = 0.1, .weight_decay = 0.001}));
  check_descends("Nadam", Nadam({.learning_rate = 0.1}));
  check_descends("Adamax", Adamax({.learning_rate = 0.1}));
  check_descends("RMSprop", RMSprop({.learning_rate = 0.05}));
  check_descends("RMSprop centered momentum", RMSprop({.learning_rate = 0.02, .momentum = 0.5, .centered = true}));
  check_descends("Adagrad", Adagrad({.learning_rate = 1.0}));
  check_descends("Adadelta", Adadelta({.learning_rate = 1.0, .epsilon = 1e-2}));
  check_descends("Adam with a schedule and clipping",
                 Adam({.learning_rate = CosineDecay({.initial_learning_rate = 0.2, .decay_steps = 300}),
                       .clipnorm = 1.0}));
}

TEST_CASE("minimize starts every optimizer afresh: the caller's object keeps its own state") {
  Adam adam({.learning_rate = 0.1});
  auto first = minimize(bowl_gradient, Vector::Constant(3, Scalar(-2)), adam, {.max_iterations = 20});
  auto second = minimize(bowl_gradient, Vector::Constant(3, Scalar(-2)), adam, {.max_iterations = 20});
  CHECK(adam.iterations() == 0);
  CHECK((first.x - second.x).cwiseAbs().maxCoeff() == 0);
}
