// train_test_split: sizes, seeded repeatability, stratified shares, and a disjoint, complete partition.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <descent/descent.hpp>
#include <numeric>

using namespace descent;

namespace {

// Row i holds the id i in x and 10 * i in y, so every row can be traced and x and y must travel together.
Dataset numbered(Index n) {
  Dataset d{Matrix(n, 2), Matrix(n, 1)};
  for (Index i = 0; i < n; ++i) {
    d.x(i, 0) = static_cast<Scalar>(i);
    d.x(i, 1) = static_cast<Scalar>(-i);
    d.y(i, 0) = static_cast<Scalar>(10 * i);
  }
  return d;
}

std::vector<Index> ids(const Dataset& d) {
  std::vector<Index> out;
  for (Index i = 0; i < d.x.rows(); ++i) out.push_back(static_cast<Index>(d.x(i, 0)));
  return out;
}

bool rows_intact(const Dataset& d) {
  for (Index i = 0; i < d.x.rows(); ++i)
    if (d.x(i, 1) != -d.x(i, 0) || d.y(i, 0) != 10 * d.x(i, 0)) return false;
  return true;
}

}  // namespace

TEST_CASE("test size is ceil(test_size * samples), as scikit-learn") {
  struct Case {
    Index n;
    double test_size;
    Index test_rows;
  };
  for (Case c : {Case{10, 0.25, 3}, Case{569, 0.2, 114}, Case{100, 0.2, 20}, Case{7, 0.5, 4}, Case{2, 0.1, 1}}) {
    CAPTURE(c.n);
    CAPTURE(c.test_size);
    Dataset d = numbered(c.n);
    auto [train, test] = data::train_test_split(d.x, d.y, {.test_size = c.test_size});
    CHECK(test.x.rows() == c.test_rows);
    CHECK(test.y.rows() == c.test_rows);
    CHECK(train.x.rows() == c.n - c.test_rows);
    CHECK(train.x.cols() == 2);
    CHECK(train.y.cols() == 1);
  }
}

TEST_CASE("the parts are disjoint, complete, shuffled, and keep each row's x and y together") {
  Dataset d = numbered(50);
  auto [train, test] = data::train_test_split(d.x, d.y, {.test_size = 0.3, .seed = 5});
  CHECK(rows_intact(train));
  CHECK(rows_intact(test));
  std::vector<Index> all = ids(train), test_ids = ids(test);
  all.insert(all.end(), test_ids.begin(), test_ids.end());
  std::sort(all.begin(), all.end());
  std::vector<Index> expected(50);
  std::iota(expected.begin(), expected.end(), Index{0});
  CHECK(all == expected);  // every row exactly once

  std::vector<Index> first_rows(15);
  std::iota(first_rows.begin(), first_rows.end(), Index{0});
  std::vector<Index> sorted_test = test_ids;
  std::sort(sorted_test.begin(), sorted_test.end());
  CHECK(sorted_test != first_rows);  // not simply the first rows
  CHECK_FALSE(std::is_sorted(test_ids.begin(), test_ids.end()));
}

TEST_CASE("the same seed gives the same split; another seed a different one") {
  Dataset d = numbered(40);
  auto a = data::train_test_split(d.x, d.y, {.test_size = 0.25, .seed = 3});
  auto b = data::train_test_split(d.x, d.y, {.test_size = 0.25, .seed = 3});
  auto c = data::train_test_split(d.x, d.y, {.test_size = 0.25, .seed = 4});
  CHECK(a.train.x == b.train.x);
  CHECK(a.test.x == b.test.x);
  CHECK(a.test.y == b.test.y);
  CHECK(a.test.x != c.test.x);
  // Stratified splits repeat too.
  Matrix labels(40, 1);
  for (Index i = 0; i < 40; ++i) labels(i, 0) = static_cast<Scalar>(i % 3 == 0);
  auto s1 = data::train_test_split(d.x, labels, {.test_size = 0.25, .seed = 3, .stratify = true});
  auto s2 = data::train_test_split(d.x, labels, {.test_size = 0.25, .seed = 3, .stratify = true});
  CHECK(s1.test.x == s2.test.x);
}

TEST_CASE("stratified splits keep each class's share") {
  // 60 of class 0 then 40 of class 1, in order: an unstratified cut could take any mix.
  const Index n = 100;
  Matrix x(n, 1), y(n, 1);
  for (Index i = 0; i < n; ++i) {
    x(i, 0) = static_cast<Scalar>(i);
    y(i, 0) = i < 60 ? 0 : 1;
  }
  for (std::uint64_t seed : {1, 2, 3}) {
    auto [train, test] = data::train_test_split(x, y, {.test_size = 0.25, .seed = seed, .stratify = true});
    CHECK(test.y.rows() == 25);
    CHECK(test.y.sum() == 10);  // round(0.25 * 40) ones
    CHECK(train.y.sum() == 30);
    CHECK(train.y.rows() == 75);  // 45 zeros + 30 ones
    for (Index i = 0; i < test.x.rows(); ++i) CHECK(test.y(i, 0) == (test.x(i, 0) >= 60 ? 1 : 0));
  }

  // Three classes of 50, 30, 20 with test_size 0.2: 10, 6 and 4 in the test part.
  Matrix y3(100, 1);
  for (Index i = 0; i < 100; ++i) y3(i, 0) = static_cast<Scalar>(i < 50 ? 0 : i < 80 ? 1 : 2);
  auto [train3, test3] = data::train_test_split(x, y3, {.test_size = 0.2, .seed = 9, .stratify = true});
  Index counts[3] = {0, 0, 0};
  for (Index i = 0; i < test3.y.rows(); ++i) ++counts[static_cast<int>(test3.y(i, 0))];
  CHECK(counts[0] == 10);
  CHECK(counts[1] == 6);
  CHECK(counts[2] == 4);
  CHECK(train3.y.rows() == 80);

  // The breast-cancer split the example uses: 212 malignant, 357 benign.
  auto [bx, by] = data::read_csv(DESCENT_DATASETS "/breast_cancer.csv", {.label = "malignant"});
  auto [btrain, btest] = data::train_test_split(bx, by, {.test_size = 0.2, .seed = 7, .stratify = true});
  CHECK(btest.y.sum() == 42);        // round(0.2 * 212)
  CHECK(btest.y.rows() == 42 + 71);  // + round(0.2 * 357)
  CHECK(btrain.y.rows() + btest.y.rows() == 569);
}

TEST_CASE("train_test_split rejects bad arguments") {
  Dataset d = numbered(10);
  CHECK_THROWS_WITH_AS(data::train_test_split(d.x, Matrix::Zero(9, 1)),
                       doctest::Contains("x with 10 rows and y with 9 rows"), Error);
  CHECK_THROWS_WITH_AS(data::train_test_split(d.x, d.y, {.test_size = 0}),
                       doctest::Contains("expected test_size in (0, 1); received test_size=0"), Error);
  CHECK_THROWS_WITH_AS(data::train_test_split(d.x, d.y, {.test_size = 1}), doctest::Contains("test_size=1"), Error);
  CHECK_THROWS_WITH_AS(data::train_test_split(d.x, Matrix::Zero(10, 2), {.stratify = true}),
                       doctest::Contains("stratify needs one label column; received y with 2 columns"), Error);
  CHECK_THROWS_WITH_AS(data::train_test_split(d.x.topRows(1), d.y.topRows(1)), doctest::Contains("empty part"), Error);
}
