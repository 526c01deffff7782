// Sample weights in losses and metrics: Keras's documented sample_weight examples, and hand-derived sums.
#include "support/matrices.hpp"

#include <doctest/doctest.h>

#include <descent/descent.hpp>

#include <vector>

using descent::testing::matrix;

using namespace descent;

namespace {
std::vector<Scalar> weights(std::initializer_list<double> values) {
  std::vector<Scalar> out;
  for (double v : values) out.push_back(static_cast<Scalar>(v));
  return out;
}
}  // namespace

TEST_CASE("Weighted losses match Keras's documented sample_weight examples") {
  // The batch loss is sum(w_i * loss_i) / samples ("sum_over_batch_size"), not a weighted mean.
  const Matrix t = matrix({{0, 1}, {0, 0}});
  const Matrix p = matrix({{0.6, 0.4}, {0.4, 0.6}});
  CHECK(losses::BinaryCrossentropy().value(t, p, weights({1, 0})) == doctest::Approx(0.458).epsilon(1e-3));
  CHECK(losses::Huber().value(t, p, weights({1, 0})) == doctest::Approx(0.09).epsilon(1e-4));
  CHECK(losses::Hinge().value(t, p, weights({1, 0})) == doctest::Approx(0.55).epsilon(1e-4));

  const Matrix t2 = matrix({{0, 1}, {0, 0}});
  const Matrix p2 = matrix({{1, 1}, {1, 0}});
  CHECK(losses::MeanSquaredError().value(t2, p2, weights({0.7, 0.3})) == doctest::Approx(0.25));
  CHECK(losses::MeanAbsoluteError().value(t2, p2, weights({0.7, 0.3})) == doctest::Approx(0.25));

  const Matrix p3 = matrix({{0.05, 0.95, 0}, {0.1, 0.8, 0.1}});
  CHECK(losses::CategoricalCrossentropy().value(matrix({{0, 1, 0}, {0, 0, 1}}), p3, weights({0.3, 0.7})) ==
        doctest::Approx(0.814).epsilon(1e-3));
  CHECK(losses::SparseCategoricalCrossentropy().value(matrix({{1}, {2}}), p3, weights({0.3, 0.7})) ==
        doctest::Approx(0.814).epsilon(1e-3));
}

TEST_CASE("A weighted loss sum is the per-sample losses times their weights") {
  // MSE per sample: (1 + 0) / 2 = 0.5 and (4 + 1) / 2 = 2.5; weights 2 and 0.5 give 1 + 1.25.
  const Matrix t = matrix({{0, 0}, {0, 0}});
  const Matrix p = matrix({{1, 0}, {2, 1}});
  CHECK(losses::MeanSquaredError().sum(t, p, weights({2, 0.5})) == doctest::Approx(2.25));
  CHECK(losses::MeanSquaredError().sum(t, p) == doctest::Approx(3.0));
  CHECK(losses::MeanSquaredError().sum(t, p, weights({1, 1})) == losses::MeanSquaredError().sum(t, p));
  CHECK_THROWS_WITH_AS(losses::MeanSquaredError().sum(t, p, weights({1, 1, 1})),
                       doctest::Contains("expected 2 sample weights, one per row of y_pred; received 3"), Error);
}

TEST_CASE("Weighted metrics match Keras's documented sample_weight examples") {
  metrics::BinaryAccuracy binary;
  binary.update(matrix({{1}, {1}, {0}, {0}}), matrix({{0.98}, {1}, {0}, {0.6}}), weights({1, 0, 0, 1}));
  CHECK(binary.result() == doctest::Approx(0.5));

  const Matrix onehot = matrix({{0, 0, 1}, {0, 1, 0}});
  const Matrix scores = matrix({{0.1, 0.9, 0.8}, {0.05, 0.95, 0}});
  metrics::CategoricalAccuracy categorical;
  categorical.update(onehot, scores, weights({0.7, 0.3}));
  CHECK(categorical.result() == doctest::Approx(0.3));
  metrics::TopKCategoricalAccuracy top1({.k = 1});
  top1.update(onehot, scores, weights({0.7, 0.3}));
  CHECK(top1.result() == doctest::Approx(0.3));
  metrics::SparseCategoricalAccuracy sparse;
  sparse.update(matrix({{2}, {1}}), matrix({{0.1, 0.6, 0.3}, {0.05, 0.95, 0}}), weights({0.7, 0.3}));
  CHECK(sparse.result() == doctest::Approx(0.3));

  metrics::Precision precision;
  metrics::Recall recall;
  const Matrix t = matrix({{0}, {1}, {1}, {1}});
  const Matrix p = matrix({{1}, {0}, {1}, {1}});
  precision.update(t, p, weights({0, 0, 1, 0}));
  recall.update(t, p, weights({0, 0, 1, 0}));
  CHECK(precision.result() == doctest::Approx(1.0));
  CHECK(recall.result() == doctest::Approx(1.0));

  metrics::AUC auc({.num_thresholds = 3});
  auc.update(matrix({{0}, {0}, {1}, {1}}), matrix({{0}, {0.5}, {0.3}, {0.9}}), weights({1, 0, 0, 1}));
  CHECK(auc.result() == doctest::Approx(1.0));

  metrics::RootMeanSquaredError rmse;
  rmse.update(matrix({{0, 1}, {0, 0}}), matrix({{1, 1}, {0, 0}}), weights({1, 0}));
  CHECK(rmse.result() == doctest::Approx(0.70710677));
}

TEST_CASE("A weighted mean metric divides by the sum of the weights, across batches") {
  // Batch 1: hits at rows 0 and 2 with weights 1 and 3 of total 6; batch 2: a miss with weight 2.
  metrics::BinaryAccuracy acc;
  acc.update(matrix({{1}, {0}, {1}}), matrix({{0.9}, {0.8}, {0.7}}), weights({1, 2, 3}));
  CHECK(acc.result() == doctest::Approx(4.0 / 6));
  acc.update(matrix({{1}}), matrix({{0.1}}), weights({2}));
  CHECK(acc.result() == doctest::Approx(4.0 / 8));
  CHECK_THROWS_WITH_AS(acc.update(matrix({{1}}), matrix({{0.1}}), weights({2, 1})),
                       doctest::Contains("expected 1 sample weights, one per row of y_pred; received 2"), Error);
}
