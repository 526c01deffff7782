// Hinge: Keras's documented value, 0/1 label conversion, gradient check, target checks.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

using namespace descent;

TEST_CASE("Hinge matches Keras's documented example") {
  // keras.metrics.Hinge: update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]) -> 1.3.
  // By hand: the labels are all 0/1, so they become [[-1, 1], [-1, -1]]. Row 0: max(1 + 0.6, 0) = 1.6 and
  // max(1 - 0.4, 0) = 0.6, mean 1.1; row 1: 1.4 and 1.6, mean 1.5; batch (1.1 + 1.5) / 2 = 1.3.
  Matrix t(2, 2), p(2, 2);
  t << 0, 1, 0, 0;
  p << 0.6, 0.4, 0.4, 0.6;
  CHECK(losses::Hinge().value(t, p) == doctest::Approx(1.3).epsilon(1e-6));
  // Keras's sample_weight=[1, 0] example gives row 0 alone: 1.1.
  CHECK(losses::Hinge().value(t.topRows(1), p.topRows(1)) == doctest::Approx(1.1).epsilon(1e-6));
}

TEST_CASE("Hinge gives the same value for 0/1 labels and their -1/1 form") {
  Matrix zero_one(3, 1), plus_minus(3, 1), p(3, 1);
  zero_one << 0, 1, 1;
  plus_minus << -1, 1, 1;
  p << 0.3, -0.2, 2.0;
  // (1 + 0.3) + (1 + 0.2) + 0 over 3 samples.
  CHECK(losses::Hinge().value(zero_one, p) == doctest::Approx(2.5 / 3).epsilon(1e-6));
  CHECK(losses::Hinge().value(plus_minus, p) == doctest::Approx(2.5 / 3).epsilon(1e-6));
}

TEST_CASE("Hinge gradient matches central differences") {
  Matrix y_true(3, 2), y_pred(3, 2);
  y_true << -1, 1, 1, -1, 1, 1;
  y_pred << 0.3, 0.2, 1.7, -0.4, -0.6, 0.9;
  CHECK(testing::check_loss_gradient(losses::Hinge(), y_true, y_pred) < testing::kTolerance);
  Matrix zero_one = (y_true.array() + 1) / 2;
  CHECK(testing::check_loss_gradient(losses::Hinge(), zero_one, y_pred) < testing::kTolerance);
}

TEST_CASE("Hinge rejects labels other than -1/1 or 0/1") {
  Matrix y(2, 1);
  y << 0.5, 1;
  CHECK_THROWS_WITH_AS(losses::Hinge().check_targets(y, 1, "fit: y"),
                       doctest::Contains("fit: y: hinge expects labels that are all -1 or 1, or all 0 or 1"), Error);
  y << -1, 0;  // mixing the two conventions
  CHECK_THROWS_WITH_AS(losses::Hinge().check_targets(y, 1, "fit: y"), doctest::Contains("received 0 at row 1"), Error);
  y << -1, 1;
  CHECK_NOTHROW(losses::Hinge().check_targets(y, 1, "fit: y"));
}
