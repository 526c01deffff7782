// MeanAbsolutePercentageError: Keras's documented values, gradient check.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

using namespace descent;

TEST_CASE("MeanAbsolutePercentageError matches Keras's documented examples") {
  // keras.metrics.MeanAbsolutePercentageError: update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]]) -> 250000000.0.
  // By hand: row 0 = 100 * (|0 - 1| / max(0, 1e-7) + 0) / 2 = 5e8; row 1 = 0; mean 2.5e8.
  Matrix t(2, 2), p(2, 2);
  t << 0, 1, 0, 0;
  p << 1, 1, 0, 0;
  CHECK(losses::MeanAbsolutePercentageError().value(t, p) == doctest::Approx(2.5e8).epsilon(1e-6));
  // The Keras 2 loss docstring's [[2, 1], [2, 3]] vs [[1, 1], [1, 0]] -> 50: row 0 = 100 (0.5 + 0) / 2 = 25,
  // row 1 = 100 (0.5 + 1) / 2 = 75, mean 50.
  t << 2, 1, 2, 3;
  p << 1, 1, 1, 0;
  CHECK(losses::MeanAbsolutePercentageError().value(t, p) == doctest::Approx(50.0).epsilon(1e-6));
}

TEST_CASE("MeanAbsolutePercentageError gradient matches central differences") {
  Matrix y_true(2, 3), y_pred(2, 3);
  y_true << 2.0, -1.0, 0.5, 4.0, 3.0, -2.0;
  y_pred << 1.5, -0.5, 0.9, 4.5, 1.0, -2.5;
  CHECK(testing::check_loss_gradient(losses::MeanAbsolutePercentageError(), y_true, y_pred) < testing::kTolerance);
}
