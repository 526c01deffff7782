// CosineSimilarity: Keras's documented values, zero vectors, gradient check.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace descent;

TEST_CASE("CosineSimilarity matches Keras's documented example") {
  // keras.losses.cosine_similarity([[0., 1.], [1., 1.], [1., 1.]], [[1., 0.], [1., 1.], [-1., -1.]])
  // -> [-0., -0.99999994, 0.99999994]: orthogonal, same direction, opposite direction.
  Matrix t(3, 2), p(3, 2);
  t << 0, 1, 1, 1, 1, 1;
  p << 1, 0, 1, 1, -1, -1;
  losses::CosineSimilarity loss;
  CHECK(loss.value(t.row(0), p.row(0)) == doctest::Approx(0.0));
  CHECK(loss.value(t.row(1), p.row(1)) == doctest::Approx(-1.0).epsilon(1e-6));
  CHECK(loss.value(t.row(2), p.row(2)) == doctest::Approx(1.0).epsilon(1e-6));
  CHECK(loss.value(t, p) == doctest::Approx(0.0));
  // The CosineSimilarity metric's example [[0, 1], [1, 1]] vs [[1, 0], [1, 1]] is +0.5; the loss is its negative.
  CHECK(loss.value(t.topRows(2), p.topRows(2)) == doctest::Approx(-0.5).epsilon(1e-6));
}

TEST_CASE("CosineSimilarity is 0 when either vector is zero") {
  Matrix z = Matrix::Zero(1, 3), v(1, 3);
  v << 1, 2, 3;
  CHECK(losses::CosineSimilarity().value(z, v) == 0.0);
  CHECK(losses::CosineSimilarity().value(v, z) == 0.0);
}

TEST_CASE("CosineSimilarity gradient matches central differences") {
  Matrix y_true(3, 3), y_pred(3, 3);
  y_true << 1, 2, 3, -1, 0.5, 0, 0, 0, 2;
  y_pred << 0.3, -1.2, 2.0, 1.5, 0.5, -0.7, 0.1, 0.2, 0.3;
  CHECK(testing::check_loss_gradient(losses::CosineSimilarity(), y_true, y_pred) < testing::kTolerance);
}
