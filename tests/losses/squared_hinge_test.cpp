// SquaredHinge: Keras's documented value, gradient check, target checks.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

using namespace descent;

TEST_CASE("SquaredHinge matches Keras's documented example") {
  // keras.metrics.SquaredHinge: update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]) -> 1.86.
  // By hand, with labels [[-1, 1], [-1, -1]]: row 0 (1.6^2 + 0.6^2) / 2 = 1.46; row 1 (1.4^2 + 1.6^2) / 2 = 2.26;
  // batch 1.86. sample_weight=[1, 0] gives row 0 alone: 1.46.
  Matrix t(2, 2), p(2, 2);
  t << 0, 1, 0, 0;
  p << 0.6, 0.4, 0.4, 0.6;
  CHECK(losses::SquaredHinge().value(t, p) == doctest::Approx(1.86).epsilon(1e-6));
  CHECK(losses::SquaredHinge().value(t.topRows(1), p.topRows(1)) == doctest::Approx(1.46).epsilon(1e-6));
}

TEST_CASE("SquaredHinge gradient matches central differences") {
  Matrix y_true(3, 2), y_pred(3, 2);
  y_true << -1, 1, 1, -1, 1, 1;
  y_pred << 0.3, 0.2, 1.7, -0.4, -0.6, 0.9;
  CHECK(testing::check_loss_gradient(losses::SquaredHinge(), y_true, y_pred) < testing::kTolerance);
}

TEST_CASE("SquaredHinge rejects labels other than -1/1 or 0/1") {
  Matrix y(1, 2);
  y << 2, 1;
  CHECK_THROWS_WITH_AS(losses::SquaredHinge().check_targets(y, 2, "fit: y"),
                       doctest::Contains("squared_hinge expects labels"), Error);
}
