// Huber: Keras's documented value, delta, gradient check, config, bad options.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace descent;

namespace {
Matrix rows2(std::initializer_list<double> v) {
  Matrix m(2, 2);
  auto it = v.begin();
  for (Index i = 0; i < 4; ++i) m.data()[i] = static_cast<Scalar>(*it++);
  return m;
}
}  // namespace

TEST_CASE("Huber matches Keras's documented example") {
  // keras.losses.huber([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]) -> 0.155. By hand: every |e| <= 1, so
  // 0.5 e^2: row 0 (0.18 + 0.18) / 2 = 0.18, row 1 (0.08 + 0.18) / 2 = 0.13, mean 0.155.
  losses::Huber huber;
  CHECK(huber.value(rows2({0, 1, 0, 0}), rows2({0.6, 0.4, 0.4, 0.6})) == doctest::Approx(0.155).epsilon(1e-6));
}

TEST_CASE("Huber turns linear beyond delta") {
  // delta 0.5: |e| = 0.6 gives 0.5 * 0.6 - 0.125 = 0.175; |e| = 0.4 gives 0.08.
  // Row 0 (0.175 + 0.175) / 2, row 1 (0.08 + 0.175) / 2; mean (0.175 + 0.1275) / 2 = 0.15125.
  losses::Huber huber({.delta = 0.5});
  CHECK(huber.value(rows2({0, 1, 0, 0}), rows2({0.6, 0.4, 0.4, 0.6})) == doctest::Approx(0.15125).epsilon(1e-6));
  Matrix g;
  huber.gradient(rows2({0, 1, 0, 0}), rows2({0.6, 0.4, 0.4, 0.6}), g);
  // delta sign(e) / (2 samples * 2 outputs) beyond delta, e / 4 inside.
  CHECK(g(0, 0) == doctest::Approx(0.125));
  CHECK(g(0, 1) == doctest::Approx(-0.125));
  CHECK(g(1, 0) == doctest::Approx(0.1));
}

TEST_CASE("Huber gradient matches central differences on both branches") {
  Matrix y_true(3, 3);
  y_true << 0.1, -0.5, 2.0, 1.0, 0.0, -1.0, 0.3, 0.3, 0.3;
  Matrix y_pred(3, 3);
  y_pred << 0.4, 1.2, -0.3, 0.8, 0.05, 0.9, -2.0, 0.35, 0.0;
  CHECK(testing::check_loss_gradient(losses::Huber({.delta = 0.7}), y_true, y_pred) < testing::kTolerance);
  CHECK(testing::check_loss_gradient(losses::Huber(), y_true, y_pred) < testing::kTolerance);
}

TEST_CASE("Huber config carries delta and rejects a non-positive delta") {
  auto c = losses::Huber({.delta = 2.5}).config();
  CHECK(c["name"] == "huber_loss");
  CHECK(c["delta"].get<double>() == 2.5);
  CHECK_THROWS_WITH_AS(losses::Huber({.delta = 0.0}), doctest::Contains("received delta=0"), Error);
  CHECK_THROWS_WITH_AS(losses::Huber({.delta = -1.0}), doctest::Contains("Expected delta > 0"), Error);
}
