// Accuracy metrics: Keras's documented examples, the 0.5 threshold, exact epoch accumulation, shape checks.
#include "support/matrices.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using descent::testing::matrix;

using namespace descent;

TEST_CASE("BinaryAccuracy: Keras's documented example gives 0.75") {
  // y_true [[1], [1], [0], [0]], y_pred [[0.98], [1], [0], [0.6]]: predictions 1, 1, 0, 1 -> 3 of 4 right.
  metrics::BinaryAccuracy m;
  m.update(matrix({{1}, {1}, {0}, {0}}), matrix({{0.98}, {1}, {0}, {0.6}}));
  CHECK(m.result() == 0.75);
  CHECK(m.name() == "binary_accuracy");
  CHECK(m.class_name() == "BinaryAccuracy");
  CHECK(m.config()["threshold"] == 0.5);
}

TEST_CASE("BinaryAccuracy thresholds strictly above 0.5 and averages over outputs per sample") {
  metrics::BinaryAccuracy m;
  m.update(matrix({{0}, {1}}), matrix({{0.5}, {0.5}}));  // 0.5 is not > 0.5: predicted 0 both times
  CHECK(m.result() == 0.5);
  m.reset();
  // Two outputs: sample 1 gets 1 of 2 right, sample 2 gets 2 of 2: (0.5 + 1) / 2.
  m.update(matrix({{1, 0}, {0, 1}}), matrix({{0.7, 0.9}, {0.2, 0.51}}));
  CHECK(m.result() == 0.75);
  metrics::BinaryAccuracy strict({.threshold = 0.9});
  strict.update(matrix({{1}, {1}}), matrix({{0.95}, {0.8}}));
  CHECK(strict.result() == 0.5);
}

TEST_CASE("CategoricalAccuracy: Keras's documented example gives 0.5") {
  // y_true [[0, 0, 1], [0, 1, 0]], y_pred [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]: argmax 1 vs 2 (wrong), 1 vs 1 (right).
  metrics::CategoricalAccuracy m;
  m.update(matrix({{0, 0, 1}, {0, 1, 0}}), matrix({{0.1, 0.9, 0.8}, {0.05, 0.95, 0}}));
  CHECK(m.result() == 0.5);
  CHECK(m.name() == "categorical_accuracy");
}

TEST_CASE("SparseCategoricalAccuracy: Keras's documented example gives 0.5") {
  // y_true [[2], [1]], y_pred [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]: argmax 1 vs 2 (wrong), 1 vs 1 (right).
  metrics::SparseCategoricalAccuracy m;
  m.update(matrix({{2}, {1}}), matrix({{0.1, 0.6, 0.3}, {0.05, 0.95, 0}}));
  CHECK(m.result() == 0.5);
  CHECK(m.name() == "sparse_categorical_accuracy");
}

TEST_CASE("epoch results weigh each batch by its size, not by batch count") {
  SUBCASE("binary: a batch of 3 with 2 right, then a batch of 1 wrong: 2 / 4, not (2/3 + 0) / 2") {
    metrics::BinaryAccuracy m;
    m.update(matrix({{1}, {0}, {1}}), matrix({{0.9}, {0.1}, {0.2}}));
    m.update(matrix({{1}}), matrix({{0.3}}));
    CHECK(m.result() == 0.5);
  }
  SUBCASE("categorical: 3 right of 3, then 0 of 1: 3 / 4") {
    metrics::CategoricalAccuracy m;
    m.update(matrix({{1, 0}, {0, 1}, {1, 0}}), matrix({{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}}));
    m.update(matrix({{0, 1}}), matrix({{0.7, 0.3}}));
    CHECK(m.result() == 0.75);
  }
  SUBCASE("sparse: 1 of 3, then 1 of 1: 2 / 4") {
    metrics::SparseCategoricalAccuracy m;
    m.update(matrix({{0}, {1}, {2}}), matrix({{0.9, 0.1, 0}, {0.9, 0.1, 0}, {0.9, 0.1, 0}}));
    m.update(matrix({{2}}), matrix({{0.1, 0.2, 0.7}}));
    CHECK(m.result() == 0.5);
  }
  SUBCASE("reset forgets the epoch; no samples gives 0") {
    metrics::BinaryAccuracy m;
    m.update(matrix({{1}}), matrix({{0.9}}));
    m.reset();
    CHECK(m.result() == 0.0);
    m.update(matrix({{1}, {1}}), matrix({{0.1}, {0.9}}));
    CHECK(m.result() == 0.5);
  }
}

TEST_CASE("ties in argmax go to the first maximum, as NumPy's argmax") {
  metrics::CategoricalAccuracy m;
  m.update(matrix({{1, 0, 0}, {0, 1, 0}}), matrix({{0.4, 0.4, 0.2}, {0.4, 0.4, 0.2}}));
  CHECK(m.result() == 0.5);
}

TEST_CASE("accuracy metrics check shapes") {
  metrics::BinaryAccuracy b;
  CHECK_THROWS_WITH_AS(b.update(matrix({{1}, {0}}), matrix({{0.5}})),
                       doctest::Contains("BinaryAccuracy: expected y_true of 1 x 1 for y_pred of 1 x 1; received 2 x 1"),
                       Error);
  metrics::CategoricalAccuracy c;
  CHECK_THROWS_WITH_AS(c.update(matrix({{1}}), matrix({{0.5, 0.5}})),
                       doctest::Contains("CategoricalAccuracy: expected y_true of 1 x 2"), Error);
  metrics::SparseCategoricalAccuracy s;
  CHECK_THROWS_WITH_AS(s.update(matrix({{0, 1}}), matrix({{0.5, 0.5}})),
                       doctest::Contains("SparseCategoricalAccuracy: expected y_true of 1 x 1"), Error);
}
