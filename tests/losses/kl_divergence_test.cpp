// KLDivergence: Keras's documented value, clipping, gradient check, target checks.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace descent;

TEST_CASE("KLDivergence matches Keras's documented example") {
  // keras.metrics.KLDivergence: update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]) -> 0.45814306.
  // By hand, y_true clipped to [1e-7, 1]: row 0 = 1e-7 log(1e-7 / 0.6) + log(1 / 0.4) = 0.91628917;
  // row 1 = 1e-7 (log(1e-7 / 0.4) + log(1e-7 / 0.6)) = -3.08e-6; mean 0.45814304.
  // sample_weight=[1, 0] gives row 0 alone: 0.9162892.
  const double e = 1e-7;
  double row0 = e * std::log(e / 0.6) + std::log(1 / 0.4);
  double row1 = e * (std::log(e / 0.4) + std::log(e / 0.6));
  CHECK((row0 + row1) / 2 == doctest::Approx(0.45814306).epsilon(1e-6));
  Matrix t(2, 2), p(2, 2);
  t << 0, 1, 0, 0;
  p << 0.6, 0.4, 0.4, 0.6;
  CHECK(losses::KLDivergence().value(t, p) == doctest::Approx(0.45814306).epsilon(1e-6));
  CHECK(losses::KLDivergence().value(t.topRows(1), p.topRows(1)) == doctest::Approx(0.9162892).epsilon(1e-6));
}

TEST_CASE("KLDivergence is zero for equal distributions and sums over outputs") {
  Matrix t(1, 4);
  t << 0.1, 0.2, 0.3, 0.4;
  CHECK(losses::KLDivergence().value(t, t) == doctest::Approx(0.0).epsilon(1e-6));
  Matrix p(1, 4);
  p << 0.25, 0.25, 0.25, 0.25;
  double expected = 0.0;
  for (double v : {0.1, 0.2, 0.3, 0.4}) expected += v * std::log(v / 0.25);
  CHECK(losses::KLDivergence().value(t, p) == doctest::Approx(expected).epsilon(1e-6));
}

TEST_CASE("KLDivergence gradient matches central differences") {
  Matrix y_true(2, 3), y_pred(2, 3);
  y_true << 0.2, 0.5, 0.3, 0.0, 1.0, 0.0;
  y_pred << 0.3, 0.3, 0.4, 0.1, 0.7, 0.2;
  CHECK(testing::check_loss_gradient(losses::KLDivergence(), y_true, y_pred) < testing::kTolerance);
}

TEST_CASE("KLDivergence rejects targets outside [0, 1]") {
  Matrix y(1, 2);
  y << 1.5, 0;
  CHECK_THROWS_WITH_AS(losses::KLDivergence().check_targets(y, 2, "fit: y"),
                       doctest::Contains("kl_divergence expects probability targets in [0, 1]; received 1.5"), Error);
}
