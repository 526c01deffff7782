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
  // ceil(0.2 * 569) = 114 test rows. Shares: 114 * 357 / 569 = 71.53 benign, 114 * 212 / 569 = 42.47 malignant;
  // the floors give 71 + 42 = 113 and the one row left goes to the larger remainder, benign.
  CHECK(btest.y.rows() == 114);
  CHECK(btest.y.sum() == 42);
  CHECK(btrain.y.rows() == 569 - 114);
}

namespace {

// The number of test rows of each label 0..k-1.
std::vector<Index> label_counts(const Matrix& y, Index k) {
  std::vector<Index> counts(static_cast<std::size_t>(k), 0);
  for (Index i = 0; i < y.rows(); ++i) ++counts[static_cast<std::size_t>(y(i, 0))];
  return counts;
}

Matrix labels_of(const std::vector<int>& per_class) {
  Index n = 0;
  for (int c : per_class) n += c;
  Matrix y(n, 1);
  Index row = 0;
  for (std::size_t label = 0; label < per_class.size(); ++label)
    for (int i = 0; i < per_class[label]; ++i) y(row++, 0) = static_cast<Scalar>(label);
  return y;
}

}  // namespace

TEST_CASE("stratified test parts hold ceil(test_size * samples) rows, shared out by largest remainder") {
  // 3 classes of 5, test_size 0.2: ceil(3) = 3 test rows, one of each class.
  Matrix y = labels_of({5, 5, 5});
  auto [train, test] = data::train_test_split(Matrix::Zero(15, 1), y, {.test_size = 0.2, .stratify = true});
  CHECK(label_counts(test.y, 3) == std::vector<Index>{1, 1, 1});
  CHECK(label_counts(train.y, 3) == std::vector<Index>{4, 4, 4});

  // 5 and 5, test_size 0.25: ceil(2.5) = 3 test rows; shares 1.5 and 1.5, floors 1 + 1, and the tie for the row left
  // goes to the smaller label.
  auto [train2, test2] =
      data::train_test_split(Matrix::Zero(10, 1), labels_of({5, 5}), {.test_size = 0.25, .seed = 1, .stratify = true});
  CHECK(label_counts(test2.y, 2) == std::vector<Index>{2, 1});
  CHECK(train2.y.rows() == 7);

  // 6, 2 and 2, test_size 0.25: ceil(2.5) = 3 test rows; shares 1.8, 0.6 and 0.6, floors 1 + 0 + 0; of the two rows
  // left one goes to label 0 (remainder .8), the other to label 1 (remainder .6, tied with label 2, smaller label).
  auto [train3, test3] =
      data::train_test_split(Matrix::Zero(10, 1), labels_of({6, 2, 2}), {.test_size = 0.25, .stratify = true});
  CHECK(label_counts(test3.y, 3) == std::vector<Index>{2, 1, 0});
  CHECK(label_counts(train3.y, 3) == std::vector<Index>{4, 1, 2});
}

TEST_CASE("stratify needs two samples of every class and a class's worth of rows in each part") {
  // Label 2 has one sample.
  CHECK_THROWS_WITH_AS(
      data::train_test_split(Matrix::Zero(7, 1), labels_of({3, 3, 1}), {.stratify = true}),
      doctest::Contains("train_test_split: the least populated class in y, label 2, has only 1 sample; expected at "
                        "least 2 of every class to stratify"),
      Error);
  // A continuous target: every value its own class.
  Dataset d = numbered(178);
  CHECK_THROWS_WITH_AS(data::train_test_split(d.x, d.y, {.test_size = 0.2, .stratify = true}),
                       doctest::Contains("label 0, has only 1 sample"), Error);
  // 3 classes of 2 with test_size 0.2: ceil(1.2) = 2 test rows for 3 classes.
  CHECK_THROWS_WITH_AS(
      data::train_test_split(Matrix::Zero(6, 1), labels_of({2, 2, 2}), {.test_size = 0.2, .stratify = true}),
      doctest::Contains("train_test_split: test_size=0.2 of 6 samples gives 2 test rows; expected at least one per "
                        "class, 3 rows."),
      Error);
  // With test_size 0.8: ceil(4.8) = 5 test rows leave 1 train row for 3 classes.
  CHECK_THROWS_WITH_AS(
      data::train_test_split(Matrix::Zero(6, 1), labels_of({2, 2, 2}), {.test_size = 0.8, .stratify = true}),
      doctest::Contains("train_test_split: test_size=0.8 of 6 samples leaves 1 train row; expected at least one per "
                        "class, 3 rows."),
      Error);
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
