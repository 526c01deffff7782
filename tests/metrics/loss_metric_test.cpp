// Losses as metrics: Keras's documented mse/mae metric values and exact epoch averaging.
#include "support/matrices.hpp"

#include <doctest/doctest.h>

using descent::testing::matrix;

using namespace descent;

TEST_CASE("mse and mae metrics: Keras's documented examples give 0.25") {
  // keras.metrics.MeanSquaredError / MeanAbsoluteError docs: y_true [[0, 1], [0, 0]], y_pred [[1, 1], [0, 0]]:
  // per sample (1 + 0) / 2 = 0.5 and 0; mean 0.25 for both (the only error is 1).
  auto mse = metrics::get("mse", {});
  auto mae = metrics::get("mae", {});
  mse->update(matrix({{0, 1}, {0, 0}}), matrix({{1, 1}, {0, 0}}));
  mae->update(matrix({{0, 1}, {0, 0}}), matrix({{1, 1}, {0, 0}}));
  CHECK(mse->result() == 0.25);
  CHECK(mae->result() == 0.25);
  CHECK(mse->name() == "mse");
  CHECK(mse->class_name() == "MeanSquaredError");
  CHECK(mae->class_name() == "MeanAbsoluteError");
}

TEST_CASE("a loss metric over uneven batches equals the loss over all samples") {
  // Batch of 3 samples with squared errors 1, 4, 0; then 1 sample with 9: (1 + 4 + 0 + 9) / 4 = 3.5,
  // while the mean of the batch means would be (5/3 + 9) / 2 = 5.33.
  auto mse = metrics::get("mean_squared_error", {});
  mse->update(matrix({{0}, {0}, {0}}), matrix({{1}, {-2}, {0}}));
  mse->update(matrix({{0}}), matrix({{3}}));
  CHECK(mse->result() == 3.5);
  mse->reset();
  CHECK(mse->result() == 0.0);

  auto bce = metrics::get("binary_crossentropy", {});
  losses::BinaryCrossentropy loss;
  Matrix y = matrix({{0}, {1}, {1}, {0}});
  Matrix p = matrix({{0.2}, {0.7}, {0.4}, {0.9}});
  bce->update(y.topRows(3), p.topRows(3));
  bce->update(y.bottomRows(1), p.bottomRows(1));
  CHECK(bce->result() == doctest::Approx(loss.value(y, p)).epsilon(1e-12));
}
