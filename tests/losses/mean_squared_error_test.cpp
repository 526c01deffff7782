// MeanSquaredError: Keras's documented value, hand gradient, gradient check, shape errors.
#include "support/matrices.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using descent::testing::matrix;

using namespace descent;

TEST_CASE("MeanSquaredError: Keras's documented example gives 0.5") {
  // y_true = [[0, 1], [0, 0]], y_pred = [[1, 1], [1, 0]]: per sample ((1-0)^2 + 0) / 2 = 0.5 and (1 + 0) / 2 = 0.5.
  losses::MeanSquaredError loss;
  Matrix y_true = matrix({{0, 1}, {0, 0}});
  Matrix y_pred = matrix({{1, 1}, {1, 0}});
  CHECK(loss.value(y_true, y_pred) == 0.5);
  CHECK(loss.sum(y_true, y_pred) == 1.0);
  // Mean over outputs, then over samples: [[3]] vs [[0]] is 9; [[0, 3]] vs [[0, 0]] is 4.5.
  CHECK(loss.value(matrix({{0}}), matrix({{3}})) == 9.0);
  CHECK(loss.value(matrix({{0, 0}}), matrix({{0, 3}})) == 4.5);
}

TEST_CASE("MeanSquaredError gradient is 2 (y_pred - y_true) / (samples * outputs)") {
  losses::MeanSquaredError loss;
  Matrix y_true = matrix({{0, 1}, {0, 0}});
  Matrix y_pred = matrix({{1, 1}, {1.5, -2}});
  Matrix g;
  loss.gradient(y_true, y_pred, g);
  Matrix expected = matrix({{2 * 1.0 / 4, 0}, {2 * 1.5 / 4, 2 * -2.0 / 4}});
  CHECK(testing::relative_error(g, expected) < 1e-7);
  Matrix y_pred2 = matrix({{0.3, -1.2, 2.5}, {0.7, 0.1, -0.4}});
  double error = testing::check_loss_gradient(loss, matrix({{1, 0, 2}, {0.5, 0.5, 0}}), y_pred2);
  CAPTURE(error);
  CHECK(error < testing::kTolerance);
}

TEST_CASE("MeanSquaredError checks shapes; names and config") {
  losses::MeanSquaredError loss;
  CHECK_THROWS_WITH_AS(loss.value(matrix({{0, 1}}), matrix({{0, 1}, {1, 0}})),
                       doctest::Contains("MeanSquaredError: expected y_true of 2 x 2 for y_pred of 2 x 2; received "
                                         "y_true of 1 x 2"),
                       Error);
  Matrix g;
  CHECK_THROWS_AS(loss.gradient(matrix({{0}}), matrix({{0, 1}}), g), Error);
  CHECK(loss.class_name() == "MeanSquaredError");
  CHECK(loss.name() == "mean_squared_error");
  CHECK(loss.config()["reduction"] == "sum_over_batch_size");
  CHECK(loss.fusable_activation().empty());
  CHECK(loss.logits_form() == nullptr);
}
