// TopKCategoricalAccuracy: Keras's documented value, k, ties, uneven batches, bad input.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

using namespace descent;

TEST_CASE("TopKCategoricalAccuracy matches Keras's documented example") {
  // keras.metrics.TopKCategoricalAccuracy(k=1): [[0, 0, 1], [0, 1, 0]] vs [[0.1, 0.9, 0.8], [0.05, 0.95, 0]] -> 0.5.
  // Row 0's class 2 (0.8) is beaten by 0.9; row 1's class 1 (0.95) is the top. With k = 2 both are in: 1.0.
  // sample_weight=[0.7, 0.3] gives 0.3: only row 1 is a hit.
  Matrix t(2, 3), p(2, 3);
  t << 0, 0, 1, 0, 1, 0;
  p << 0.1, 0.9, 0.8, 0.05, 0.95, 0;
  metrics::TopKCategoricalAccuracy k1({.k = 1}), k2({.k = 2}), k5;
  k1.update(t, p);
  k2.update(t, p);
  k5.update(t, p);
  CHECK(k1.result() == 0.5);
  CHECK(k2.result() == 1.0);
  CHECK(k5.result() == 1.0);
  CHECK(k5.k() == 5);
  CHECK(k5.name() == "top_k_categorical_accuracy");
}

TEST_CASE("TopKCategoricalAccuracy counts classes tied at the boundary as in the top k") {
  Matrix t(1, 4), p(1, 4);
  t << 0, 0, 0, 1;
  p << 0.4, 0.2, 0.2, 0.2;  // only 0.4 is strictly above the target's 0.2
  metrics::TopKCategoricalAccuracy k2({.k = 2});
  k2.update(t, p);
  CHECK(k2.result() == 1.0);
  metrics::TopKCategoricalAccuracy k1({.k = 1});
  k1.update(t, p);
  CHECK(k1.result() == 0.0);
}

TEST_CASE("TopKCategoricalAccuracy over uneven batches is the fraction of all samples") {
  Matrix t(5, 3), p(5, 3);
  t << 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0;
  p << 0.5, 0.3, 0.2, 0.2, 0.3, 0.5, 0.6, 0.3, 0.1, 0.1, 0.2, 0.7, 0.3, 0.4, 0.3;
  // Top-1 hits: rows 0 and 4: 2 of 5 (the mean of batch means over 4 + 1 rows would be (1/4 + 1) / 2).
  metrics::TopKCategoricalAccuracy m({.k = 1});
  m.update(t.topRows(4), p.topRows(4));
  m.update(t.bottomRows(1), p.bottomRows(1));
  CHECK(m.result() == doctest::Approx(0.4));
}

TEST_CASE("TopKCategoricalAccuracy rejects bad input") {
  CHECK_THROWS_WITH_AS(metrics::TopKCategoricalAccuracy({.k = 0}), doctest::Contains("received k=0"), Error);
  metrics::TopKCategoricalAccuracy m;
  CHECK_THROWS_WITH_AS(m.update(Matrix::Zero(2, 1), Matrix::Zero(2, 3)), doctest::Contains("one-hot encode"), Error);
}
