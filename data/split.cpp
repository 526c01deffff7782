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
  const auto n_test = static_cast<std::size_t>(std::ceil(options.test_size * static_cast<double>(n)));
  Rng rng(options.seed);
  std::vector<Index> train, test;
  if (options.stratify) {
    check(y.cols() == 1, "train_test_split: stratify needs one label column; received y with ", y.cols(),
          " columns.");
    check(n > 0, "train_test_split: received no samples; expected at least 2 of every class to stratify.");
    std::map<Scalar, std::vector<Index>> by_label;
    for (Index i = 0; i < n; ++i) by_label[y(i, 0)].push_back(i);
    const auto least = std::min_element(by_label.begin(), by_label.end(),
                                        [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); });
    check(least->second.size() >= 2, "train_test_split: the least populated class in y, label ", least->first,
          ", has only 1 sample; expected at least 2 of every class to stratify (a continuous target has a class per "
          "value).");
    const std::size_t classes = by_label.size(), rows = static_cast<std::size_t>(n);
    check(n_test >= classes, "train_test_split: test_size=", options.test_size, " of ", n, " samples gives ", n_test,
          " test row", n_test == 1 ? "" : "s", "; expected at least one per class, ", classes, " rows.");
    check(rows - n_test >= classes, "train_test_split: test_size=", options.test_size, " of ", n, " samples leaves ",
          rows - n_test, " train row", rows - n_test == 1 ? "" : "s", "; expected at least one per class, ", classes,
          " rows.");
    // Label k's share of the test rows is n_test * count_k / n: the floors first, then one row each to the labels
    // with the largest remainders until n_test rows are taken. Integers keep the remainders exact, and the stable
    // sort gives ties to the smaller label (scikit-learn's _approximate_mode draws them at random).
    std::vector<std::size_t> share, remainder, order(classes);
    std::size_t taken = 0;
    for (const auto& [label, members] : by_label) {
      share.push_back(n_test * members.size() / rows);
      remainder.push_back(n_test * members.size() % rows);
      taken += share.back();
    }
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
    for (std::size_t i = 0; taken < n_test; ++i, ++taken) ++share[order[i]];
    std::size_t k = 0;
    for (auto& [label, members] : by_label) {
      shuffle(members, rng);
      const auto cut = members.begin() + static_cast<std::ptrdiff_t>(share[k++]);
      test.insert(test.end(), members.begin(), cut);
      train.insert(train.end(), cut, members.end());
    }
    shuffle(train, rng);
    shuffle(test, rng);
  } else {
    std::vector<Index> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), Index{0});
    shuffle(order, rng);
    test.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_test));
    train.assign(order.begin() + static_cast<std::ptrdiff_t>(n_test), order.end());
  }
  check(!train.empty() && !test.empty(), "train_test_split: test_size=", options.test_size, " of ", n,
        " samples leaves an empty part.");
  return {take(x, y, train), take(x, y, test)};
}

}  // namespace descent::data
