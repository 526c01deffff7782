// CategoricalHinge: Keras's documented value, gradient check, target checks.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

using namespace descent;

TEST_CASE("CategoricalHinge matches Keras's documented example") {
  // keras.metrics.CategoricalHinge: update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]) -> 1.4000001.
  // By hand: row 0 pos = 0.4, neg = max(0.6, 0) = 0.6, loss 1.2; row 1 pos = 0, neg = 0.6, loss 1.6; mean 1.4.
  // sample_weight=[1, 0] gives row 0 alone: 1.2.
  Matrix t(2, 2), p(2, 2);
  t << 0, 1, 0, 0;
  p << 0.6, 0.4, 0.4, 0.6;
  CHECK(losses::CategoricalHinge().value(t, p) == doctest::Approx(1.4).epsilon(1e-6));
  CHECK(losses::CategoricalHinge().value(t.topRows(1), p.topRows(1)) == doctest::Approx(1.2).epsilon(1e-6));
}

TEST_CASE("CategoricalHinge is zero once the true class wins by a margin of 1") {
  Matrix t(1, 3), p(1, 3);
  t << 0, 0, 1;
  p << 0.5, 1.0, 2.5;  // neg 1.0, pos 2.5: max(1 - 1.5, 0) = 0
  CHECK(losses::CategoricalHinge().value(t, p) == 0.0);
  Matrix g;
  losses::CategoricalHinge().gradient(t, p, g);
  CHECK(g.isZero());
}

TEST_CASE("CategoricalHinge gradient matches central differences") {
  Matrix y_true(3, 4), y_pred(3, 4);
  y_true << 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0;
  y_pred << 0.2, 0.9, -0.3, 0.1, 0.4, 0.1, 0.3, 0.8, -1.0, 2.5, 0.2, 1.0;
  CHECK(testing::check_loss_gradient(losses::CategoricalHinge(), y_true, y_pred) < testing::kTolerance);
}

TEST_CASE("CategoricalHinge asks for one-hot targets") {
  Matrix y(2, 1);
  y << 2, 0;
  CHECK_THROWS_WITH_AS(losses::CategoricalHinge().check_targets(y, 3, "fit: y"),
                       doctest::Contains("expects 3 target column(s)"), Error);
  Matrix y3(1, 3);
  y3 << 0, 2, 0;
  CHECK_THROWS_WITH_AS(losses::CategoricalHinge().check_targets(y3, 3, "fit: y"),
                       doctest::Contains("categorical_hinge expects one-hot targets"), Error);
}
