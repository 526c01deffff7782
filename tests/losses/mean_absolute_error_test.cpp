// MeanAbsoluteError: Keras's documented value, sign gradient, gradient check away from the kink, shape errors.
#include "support/matrices.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using descent::testing::matrix;

using namespace descent;

TEST_CASE("MeanAbsoluteError: Keras's documented example gives 0.5") {
  // y_true = [[0, 1], [0, 0]], y_pred = [[1, 1], [1, 0]]: per sample (|1| + 0) / 2 = 0.5 twice.
  losses::MeanAbsoluteError loss;
  CHECK(loss.value(matrix({{0, 1}, {0, 0}}), matrix({{1, 1}, {1, 0}})) == 0.5);
  // |3| alone is 3 (MSE would say 9); [[0, -3]] vs [[0, 0]] is 1.5.
  CHECK(loss.value(matrix({{0}}), matrix({{3}})) == 3.0);
  CHECK(loss.value(matrix({{0, 0}}), matrix({{0, -3}})) == 1.5);
}

TEST_CASE("MeanAbsoluteError gradient is sign(y_pred - y_true) / (samples * outputs), 0 where equal") {
  losses::MeanAbsoluteError loss;
  Matrix g;
  loss.gradient(matrix({{0, 1}, {0, 0}}), matrix({{1, 1}, {-2, 0.5}}), g);
  Matrix expected = matrix({{0.25, 0}, {-0.25, 0.25}});
  CHECK(testing::relative_error(g, expected) < 1e-7);
  // Every |y_pred - y_true| >= 0.3, far from the kink compared with the finite-difference step.
  double error = testing::check_loss_gradient(loss, matrix({{1, 0, 2}, {0.5, 0.5, 0}}), matrix({{0.3, -1.2, 2.5}, {0.1, 0.9, -0.4}}));
  CAPTURE(error);
  CHECK(error < testing::kTolerance);
}

TEST_CASE("MeanAbsoluteError checks shapes; names and config") {
  losses::MeanAbsoluteError loss;
  CHECK_THROWS_WITH_AS(loss.value(matrix({{0}}), matrix({{0, 1}})),
                       doctest::Contains("MeanAbsoluteError: expected y_true of 1 x 2"), Error);
  CHECK(loss.class_name() == "MeanAbsoluteError");
  CHECK(loss.name() == "mean_absolute_error");
  CHECK(loss.config()["name"] == "mean_absolute_error");
}
