// F1Score and FBetaScore: Keras's documented values, averaging, argmax mode, uneven batches, bad input.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

using namespace descent;

namespace {
// Keras's docstring data.
Matrix y_true() {
  Matrix m(3, 3);
  m << 1, 1, 1, 1, 0, 0, 1, 1, 0;
  return m;
}
Matrix y_pred() {
  Matrix m(3, 3);
  m << 0.2, 0.6, 0.7, 0.2, 0.6, 0.6, 0.6, 0.8, 0.0;
  return m;
}
}  // namespace

TEST_CASE("F1Score matches Keras's documented example") {
  // keras.metrics.F1Score(threshold=0.5) -> [0.5, 0.8, 0.6666667]. By hand, predictions > 0.5 are
  // [[0, 1, 1], [0, 1, 1], [1, 1, 0]]. Class 0: tp 1, fp 0, fn 2: p 1, r 1/3, F1 0.5. Class 1: tp 2, fp 1, fn 0:
  // p 2/3, r 1, F1 0.8. Class 2: tp 1, fp 1, fn 0: p 1/2, r 1, F1 2/3.
  metrics::F1Score f1({.threshold = 0.5});
  f1.update(y_true(), y_pred());
  auto s = f1.results();
  REQUIRE(s.size() == 3);
  CHECK(s[0] == doctest::Approx(0.5).epsilon(1e-6));
  CHECK(s[1] == doctest::Approx(0.8).epsilon(1e-6));
  CHECK(s[2] == doctest::Approx(2.0 / 3).epsilon(1e-6));
  CHECK_THROWS_WITH_AS(f1.result(), doctest::Contains("one score per class (3 here); call results()"), Error);
}

TEST_CASE("FBetaScore matches Keras's documented example") {
  // keras.metrics.FBetaScore(beta=2.0, threshold=0.5) -> [0.3846154, 0.90909094, 0.8333334]: 5 p r / (4 p + r)
  // with the counts above: 5 (1/3) / (4 + 1/3) = 5/13; 5 (2/3) / (8/3 + 1) = 10/11; 5 (1/2) / (2 + 1) = 5/6.
  metrics::FBetaScore f2({.beta = 2.0, .threshold = 0.5});
  f2.update(y_true(), y_pred());
  auto s = f2.results();
  CHECK(s[0] == doctest::Approx(5.0 / 13).epsilon(1e-6));
  CHECK(s[1] == doctest::Approx(10.0 / 11).epsilon(1e-6));
  CHECK(s[2] == doctest::Approx(5.0 / 6).epsilon(1e-6));
}

TEST_CASE("F1Score averages: micro pools counts, macro averages, weighted uses the supports") {
  metrics::F1Score micro({.average = "micro", .threshold = 0.5});
  metrics::F1Score macro({.average = "macro", .threshold = 0.5});
  metrics::F1Score weighted({.average = "weighted", .threshold = 0.5});
  for (auto* m : {&micro, &macro, &weighted}) m->update(y_true(), y_pred());
  // Pooled: tp 4, fp 2, fn 2: p = r = 2/3.
  CHECK(micro.result() == doctest::Approx(2.0 / 3).epsilon(1e-6));
  CHECK(macro.result() == doctest::Approx((0.5 + 0.8 + 2.0 / 3) / 3).epsilon(1e-6));
  // Supports (true labels per class) 3, 2, 1.
  CHECK(weighted.result() == doctest::Approx((3 * 0.5 + 2 * 0.8 + 1 * 2.0 / 3) / 6).epsilon(1e-6));
}

TEST_CASE("F1Score without a threshold marks each row's maximum, ties included") {
  // Row maxima: [0, 0, 1], [0, 1, 1] (0.6 twice), [0, 1, 0]. Class 0: tp 0 -> 0. Class 1: tp 1, fp 1, fn 1 -> 0.5.
  // Class 2: tp 1, fp 1, fn 0 -> 2/3.
  metrics::F1Score f1;
  f1.update(y_true(), y_pred());
  auto s = f1.results();
  CHECK(s[0] == doctest::Approx(0.0));
  CHECK(s[1] == doctest::Approx(0.5).epsilon(1e-6));
  CHECK(s[2] == doctest::Approx(2.0 / 3).epsilon(1e-6));
  // An all-zero row marks nothing.
  metrics::F1Score zero({.average = "micro"});
  zero.update(Matrix::Ones(1, 3), Matrix::Zero(1, 3));
  CHECK(zero.result() == 0.0);
}

TEST_CASE("F1Score over uneven batches equals one pass") {
  metrics::F1Score all({.average = "macro", .threshold = 0.5}), batched({.average = "macro", .threshold = 0.5});
  all.update(y_true(), y_pred());
  batched.update(y_true().topRows(2), y_pred().topRows(2));
  batched.update(y_true().bottomRows(1), y_pred().bottomRows(1));
  CHECK(batched.result() == doctest::Approx(all.result()).epsilon(1e-12));
  batched.reset();
  batched.update(y_true(), y_pred());
  CHECK(batched.result() == doctest::Approx(all.result()).epsilon(1e-12));
}

TEST_CASE("F1Score rejects bad options and inputs") {
  CHECK_THROWS_WITH_AS(metrics::F1Score({.average = "samples"}), doctest::Contains("F1Score: unknown average"), Error);
  CHECK_THROWS_WITH_AS(metrics::F1Score({.threshold = 0.0}), doctest::Contains("0 < threshold <= 1"), Error);
  CHECK_THROWS_WITH_AS(metrics::FBetaScore({.beta = 0.0}), doctest::Contains("FBetaScore: beta must be > 0"), Error);
  metrics::F1Score f1;
  f1.update(y_true(), y_pred());
  CHECK_THROWS_WITH_AS(f1.update(Matrix::Zero(1, 2), Matrix::Zero(1, 2)),
                       doctest::Contains("expected y_pred with 3 columns"), Error);
  CHECK_THROWS_WITH_AS(f1.update(Matrix::Zero(1, 3), Matrix::Zero(2, 3)), doctest::Contains("same shape"), Error);
}
