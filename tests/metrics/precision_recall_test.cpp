// Precision and Recall: Keras's documented values, thresholds, top_k, class_id, uneven batches, bad input.
#include "support/matrices.hpp"

#include <doctest/doctest.h>

using descent::testing::column;
using descent::testing::row;

using namespace descent;

TEST_CASE("Precision and Recall match Keras's documented examples") {
  // keras.metrics.Precision / Recall: update_state([0, 1, 1, 1], [1, 0, 1, 1]) -> 0.6666667 for both.
  // By hand: predicted positive (> 0.5) at 0, 2, 3; true at 1, 2, 3: tp = 2, fp = 1, fn = 1.
  metrics::Precision precision;
  metrics::Recall recall;
  precision.update(column({0, 1, 1, 1}), column({1, 0, 1, 1}));
  recall.update(column({0, 1, 1, 1}), column({1, 0, 1, 1}));
  CHECK(precision.result() == doctest::Approx(2.0 / 3));
  CHECK(recall.result() == doctest::Approx(2.0 / 3));
  CHECK(precision.name() == "precision");
  CHECK(recall.name() == "recall");
}

TEST_CASE("Precision with top_k matches Keras's documented examples") {
  // Precision(top_k=2) on [0, 0, 1, 1] vs [1, 1, 1, 1]: the two first of the tied values are kept (lower index
  // first, as top_k), both with label 0: 0.0. With top_k=4 all four: tp = 2, fp = 2, 0.5.
  metrics::Precision top2({.top_k = 2});
  top2.update(row({0, 0, 1, 1}), row({1, 1, 1, 1}));
  CHECK(top2.result() == 0.0);
  metrics::Precision top4({.top_k = 4});
  top4.update(row({0, 0, 1, 1}), row({1, 1, 1, 1}));
  CHECK(top4.result() == doctest::Approx(0.5));
  // Recall with top_k = 1 per row: row 0 keeps column 1 (0.7, a hit), row 1 keeps column 0 (0.6, label 0).
  metrics::Recall recall({.top_k = 1});
  Matrix t(2, 3), p(2, 3);
  t << 0, 1, 1, 0, 0, 1;
  p << 0.2, 0.7, 0.1, 0.6, 0.3, 0.5;
  recall.update(t, p);
  CHECK(recall.result() == doctest::Approx(1.0 / 3));  // tp 1 of 3 true labels
}

TEST_CASE("class_id restricts the counts to one column") {
  Matrix t(3, 2), p(3, 2);
  t << 0, 1, 1, 0, 0, 1;
  p << 0.2, 0.7, 0.6, 0.4, 0.9, 0.3;
  // Column 1: labels [1, 0, 1], predicted (> 0.5) [1, 0, 0]: tp 1, fp 0, fn 1.
  metrics::Precision precision({.class_id = 1});
  metrics::Recall recall({.class_id = 1});
  precision.update(t, p);
  recall.update(t, p);
  CHECK(precision.result() == 1.0);
  CHECK(recall.result() == 0.5);
}

TEST_CASE("several thresholds give one value each, the same by buckets and by comparison") {
  Matrix t = column({0, 1, 1, 0, 1});
  Matrix p = column({0.0, 0.3, 0.5, 0.6, 1.0});
  // [0, 0.5, 1] is evenly spread (Keras's bucket method); [0, 0.5] is not (direct comparison).
  // > 0: 0.3, 0.5, 0.6, 1.0 -> tp 3, fp 1; > 0.5: 0.6, 1.0 -> tp 1, fp 1 (0.5 itself is not above); > 1: none.
  metrics::Precision evenly({.thresholds = {0.0, 0.5, 1.0}});
  metrics::Precision direct({.thresholds = {0.0, 0.5}});
  evenly.update(t, p);
  direct.update(t, p);
  auto a = evenly.results();
  auto b = direct.results();
  REQUIRE(a.size() == 3);
  REQUIRE(b.size() == 2);
  CHECK(a[0] == doctest::Approx(0.75));
  CHECK(a[1] == doctest::Approx(0.5));
  CHECK(a[2] == 0.0);
  CHECK(b[0] == doctest::Approx(0.75));
  CHECK(b[1] == doctest::Approx(0.5));
  CHECK_THROWS_WITH_AS(evenly.result(), doctest::Contains("one result per threshold; call results()"), Error);
  metrics::Recall recall({.thresholds = {0.25, 0.55, 0.9}});
  recall.update(t, p);
  auto r = recall.results();  // > 0.25: 3 of 3 true; > 0.55: 1.0 only; > 0.9: 1.0
  CHECK(r[0] == 1.0);
  CHECK(r[1] == doctest::Approx(1.0 / 3));
  CHECK(r[2] == doctest::Approx(1.0 / 3));
}

TEST_CASE("Precision and Recall over uneven batches equal one pass over all samples") {
  Matrix t = column({1, 0, 1, 1, 0, 0, 1});
  Matrix p = column({0.9, 0.8, 0.2, 0.7, 0.1, 0.6, 0.55});
  metrics::Precision all, batched;
  metrics::Recall all_r, batched_r;
  all.update(t, p);
  all_r.update(t, p);
  batched.update(t.topRows(5), p.topRows(5));
  batched.update(t.bottomRows(2), p.bottomRows(2));
  batched_r.update(t.topRows(5), p.topRows(5));
  batched_r.update(t.bottomRows(2), p.bottomRows(2));
  // Predicted: rows 0, 1, 3, 5, 6; tp = 0, 3, 6 -> 3; fp = 1, 5 -> 2; fn = row 2 -> 1.
  CHECK(all.result() == doctest::Approx(0.6));
  CHECK(batched.result() == all.result());
  CHECK(all_r.result() == doctest::Approx(0.75));
  CHECK(batched_r.result() == all_r.result());
  batched.reset();
  CHECK(batched.result() == 0.0);
}

TEST_CASE("Precision and Recall reject bad options and shapes") {
  CHECK_THROWS_WITH_AS(metrics::Precision({.thresholds = {1.5}}), doctest::Contains("must be in [0, 1]"), Error);
  CHECK_THROWS_WITH_AS(metrics::Recall({.top_k = 0}), doctest::Contains("received top_k=0"), Error);
  CHECK_THROWS_WITH_AS(metrics::Recall({.class_id = -1}), doctest::Contains("received class_id=-1"), Error);
  metrics::Precision top3({.top_k = 3});
  CHECK_THROWS_WITH_AS(top3.update(row({0, 1}), row({0.2, 0.8})),
                       doctest::Contains("Expected top_k <= 2; received top_k=3"), Error);
  metrics::Recall c5({.class_id = 5});
  CHECK_THROWS_WITH_AS(c5.update(row({0, 1}), row({0.2, 0.8})), doctest::Contains("received class_id=5"), Error);
  metrics::Precision p;
  CHECK_THROWS_WITH_AS(p.update(column({0, 1}), column({0.2, 0.8, 0.1})),
                       doctest::Contains("Precision: y_true and y_pred must have the same shape"), Error);
}
