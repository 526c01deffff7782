// LogCosh: Keras's documented value, stability for large errors, gradient check.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace descent;

TEST_CASE("LogCosh matches Keras's documented example") {
  // keras.losses.log_cosh([[0., 1.], [0., 0.]], [[1., 1.], [0., 0.]]) -> 0.108 (metric: 0.10844523).
  // By hand: log(cosh(1)) = log((e + 1/e) / 2) = 0.4337808; row 0 mean 0.2168904, row 1 0; batch 0.1084452.
  Matrix t(2, 2), p(2, 2);
  t << 0, 1, 0, 0;
  p << 1, 1, 0, 0;
  double expected = std::log((std::exp(1.0) + std::exp(-1.0)) / 2) / 4;
  CHECK(expected == doctest::Approx(0.10844523).epsilon(1e-6));
  CHECK(losses::LogCosh().value(t, p) == doctest::Approx(expected).epsilon(1e-6));
}

TEST_CASE("LogCosh is finite and close to |e| - log 2 for large errors") {
  Matrix t = Matrix::Zero(1, 2), p(1, 2);
  p << 500, -800;  // cosh overflows double here; the stable form does not
  double v = losses::LogCosh().value(t, p);
  CHECK(std::isfinite(v));
  CHECK(v == doctest::Approx((500 + 800) / 2.0 - std::log(2.0)).epsilon(1e-6));
}

TEST_CASE("LogCosh gradient matches central differences") {
  Matrix y_true(2, 3), y_pred(2, 3);
  y_true << 0.0, 1.0, -2.0, 0.5, 0.5, 3.0;
  y_pred << 0.3, -1.0, -2.2, 4.0, 0.4, 1.0;
  CHECK(testing::check_loss_gradient(losses::LogCosh(), y_true, y_pred) < testing::kTolerance);
}
