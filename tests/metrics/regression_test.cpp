// RootMeanSquaredError and the CosineSimilarity metric: Keras's documented values, uneven batches.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace descent;

TEST_CASE("RootMeanSquaredError matches Keras's documented example") {
  // keras.metrics.RootMeanSquaredError: [[0, 1], [0, 0]] vs [[1, 1], [0, 0]] -> 0.5: one squared error of 1 over
  // 4 values, sqrt(0.25). sample_weight=[1, 0] keeps row 0: sqrt(0.5) = 0.70710677.
  Matrix t(2, 2), p(2, 2);
  t << 0, 1, 0, 0;
  p << 1, 1, 0, 0;
  metrics::RootMeanSquaredError rmse;
  rmse.update(t, p);
  CHECK(rmse.result() == doctest::Approx(0.5));
  rmse.reset();
  rmse.update(t.topRows(1), p.topRows(1));
  CHECK(rmse.result() == doctest::Approx(0.70710677));
  CHECK(rmse.name() == "root_mean_squared_error");
}

TEST_CASE("RootMeanSquaredError over uneven batches is the root of the mean over all samples") {
  // Squared errors 1, 4, 0 then 9: sqrt(14 / 4), not the mean of the batch roots.
  Matrix t = Matrix::Zero(4, 1), p(4, 1);
  p << 1, -2, 0, 3;
  metrics::RootMeanSquaredError rmse;
  rmse.update(t.topRows(3), p.topRows(3));
  rmse.update(t.bottomRows(1), p.bottomRows(1));
  CHECK(rmse.result() == doctest::Approx(std::sqrt(3.5)));
}

TEST_CASE("the CosineSimilarity metric matches Keras's documented example") {
  // keras.metrics.CosineSimilarity(axis=1): [[0, 1], [1, 1]] vs [[1, 0], [1, 1]] -> 0.49999997: row 0 orthogonal
  // (0), row 1 the same direction (1); mean 0.5. sample_weight=[0.3, 0.7] gives 0.7 (row 1 weighted).
  Matrix t(2, 2), p(2, 2);
  t << 0, 1, 1, 1;
  p << 1, 0, 1, 1;
  metrics::CosineSimilarity cosine;
  cosine.update(t, p);
  CHECK(cosine.result() == doctest::Approx(0.5));
  CHECK(cosine.name() == "cosine_similarity");
  CHECK_THROWS_WITH_AS(cosine.update(t, p.leftCols(1)), doctest::Contains("CosineSimilarity: y_true and y_pred"),
                       Error);
}
