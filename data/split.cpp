// train_test_split over a seeded permutation.
#include "split.hpp"

#include <descent/core/error.hpp>
#include <descent/core/random.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace descent::data {
namespace {
Dataset take(const Matrix& x, const Matrix& y, const std::vector<Index>& rows) {
  Dataset d{Matrix(static_cast<Index>(rows.size()), x.cols()), Matrix(static_cast<Index>(rows.size()), y.cols())};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    d.x.row(static_cast<Index>(i)) = x.row(rows[i]);
    d.y.row(static_cast<Index>(i)) = y.row(rows[i]);
  }
  return d;
}
}  // namespace

Split train_test_split(const Matrix& x, const Matrix& y, SplitOptions options) {
  check(x.rows() == y.rows(), "train_test_split: x and y must have the same number of rows; received x with ",
        x.rows(), " rows and y with ", y.rows(), " rows.");
  check(options.test_size > 0 && options.test_size < 1, "train_test_split: expected test_size in (0, 1); received ",
        "test_size=", options.test_size, ".");
  const Index n = x.rows();
  Rng rng(options.seed);
  std::vector<Index> train, test;
  if (options.stratify) {
    check(y.cols() == 1, "train_test_split: stratify needs one label column; received y with ", y.cols(),
          " columns.");
    std::map<Scalar, std::vector<Index>> by_label;
    for (Index i = 0; i < n; ++i) by_label[y(i, 0)].push_back(i);
    for (auto& [label, rows] : by_label) {
      shuffle(rows, rng);
      auto n_test = static_cast<std::size_t>(std::lround(options.test_size * static_cast<double>(rows.size())));
      test.insert(test.end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n_test));
      train.insert(train.end(), rows.begin() + static_cast<std::ptrdiff_t>(n_test), rows.end());
    }
    shuffle(train, rng);
    shuffle(test, rng);
  } else {
    std::vector<Index> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), Index{0});
    shuffle(order, rng);
    auto n_test = static_cast<std::size_t>(std::ceil(options.test_size * static_cast<double>(n)));
    test.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_test));
    train.assign(order.begin() + static_cast<std::ptrdiff_t>(n_test), order.end());
  }
  check(!train.empty() && !test.empty(), "train_test_split: test_size=", options.test_size, " of ", n,
        " samples leaves an empty part.");
  return {take(x, y, train), take(x, y, test)};
}

}  // namespace descent::data
