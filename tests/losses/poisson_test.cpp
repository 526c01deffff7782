// Poisson: Keras's documented value, gradient check, target checks.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace descent;

TEST_CASE("Poisson matches Keras's documented example") {
  // keras.metrics.Poisson: update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]]) -> 0.49999997.
  // By hand: row 0 = ((1 - 0) + (1 - log(1 + 1e-7))) / 2 = 1 - 5e-8; row 1 = 0; mean 0.5 - 2.5e-8.
  // sample_weight=[1, 0] gives row 0 alone: 0.99999994.
  Matrix t(2, 2), p(2, 2);
  t << 0, 1, 0, 0;
  p << 1, 1, 0, 0;
  CHECK(losses::Poisson().value(t, p) == doctest::Approx(0.49999997).epsilon(1e-6));
  CHECK(losses::Poisson().value(t.topRows(1), p.topRows(1)) == doctest::Approx(0.99999994).epsilon(1e-6));
}

TEST_CASE("Poisson on rates away from the targets") {
  Matrix t(1, 2), p(1, 2);
  t << 3, 0;
  p << 2, 0.5;
  double expected = ((2 - 3 * std::log(2 + 1e-7)) + 0.5) / 2;
  CHECK(losses::Poisson().value(t, p) == doctest::Approx(expected).epsilon(1e-6));
}

TEST_CASE("Poisson gradient matches central differences") {
  Matrix y_true(2, 3), y_pred(2, 3);
  y_true << 0, 1, 4, 2, 0, 7;
  y_pred << 0.5, 1.5, 3.0, 0.2, 2.0, 6.5;
  CHECK(testing::check_loss_gradient(losses::Poisson(), y_true, y_pred) < testing::kTolerance);
}

TEST_CASE("Poisson rejects negative targets") {
  Matrix y(2, 1);
  y << 1, -2;
  CHECK_THROWS_WITH_AS(losses::Poisson().check_targets(y, 1, "fit: y"),
                       doctest::Contains("poisson expects non-negative targets (counts or rates); received -2 at row"),
                       Error);
}
