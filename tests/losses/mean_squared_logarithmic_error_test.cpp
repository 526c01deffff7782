// MeanSquaredLogarithmicError: Keras's documented value, the epsilon floor, gradient check, target checks.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace descent;

TEST_CASE("MeanSquaredLogarithmicError matches Keras's documented example") {
  // keras.metrics.MeanSquaredLogarithmicError: update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]]) -> 0.12011322.
  // By hand, zeros floored at 1e-7: row 0 = ((log 2 - log(1 + 1e-7))^2 + 0) / 2 = 0.2402264; row 1 = 0;
  // mean 0.1201132. sample_weight=[1, 0] gives row 0 alone: 0.24022643.
  Matrix t(2, 2), p(2, 2);
  t << 0, 1, 0, 0;
  p << 1, 1, 0, 0;
  double row0 = std::pow(std::log(2.0) - std::log1p(1e-7), 2) / 2;
  CHECK(row0 == doctest::Approx(0.24022643).epsilon(1e-6));
  CHECK(losses::MeanSquaredLogarithmicError().value(t, p) == doctest::Approx(0.12011322).epsilon(1e-6));
}

TEST_CASE("MeanSquaredLogarithmicError treats negative predictions as 1e-7, with zero gradient") {
  Matrix t(1, 1), p(1, 1);
  t << 1;
  p << -3;
  double expected = std::pow(std::log1p(1e-7) - std::log(2.0), 2);
  CHECK(losses::MeanSquaredLogarithmicError().value(t, p) == doctest::Approx(expected).epsilon(1e-6));
  Matrix g;
  losses::MeanSquaredLogarithmicError().gradient(t, p, g);
  CHECK(g(0, 0) == 0);
}

TEST_CASE("MeanSquaredLogarithmicError gradient matches central differences") {
  Matrix y_true(2, 3), y_pred(2, 3);
  y_true << 0.0, 1.0, 5.0, 2.0, 0.5, 10.0;
  y_pred << 0.5, 1.5, 3.0, 0.2, 2.0, 12.0;
  CHECK(testing::check_loss_gradient(losses::MeanSquaredLogarithmicError(), y_true, y_pred) < testing::kTolerance);
}

TEST_CASE("MeanSquaredLogarithmicError rejects negative targets") {
  Matrix y(1, 1);
  y << -0.5;
  CHECK_THROWS_WITH_AS(losses::MeanSquaredLogarithmicError().check_targets(y, 1, "fit: y"),
                       doctest::Contains("expects non-negative targets"), Error);
}
