// Seeded train/test splitting, optionally stratified by label.
#pragma once

#include <descent/core/tensor.hpp>

#include <cstdint>

namespace descent::data {

/// Field order is API: only append.
struct SplitOptions {
  double test_size = 0.25;  ///< fraction of samples in the test set (scikit-learn's default)
  std::uint64_t seed = 42;
  bool stratify = false;  ///< keep each label's share in both parts (y must be one label column)
};

struct Split {
  Dataset train;
  Dataset test;
};

/// Shuffles the samples with the seed and cuts off ceil(test_size * samples) for testing.
/// `auto [train, test] = train_test_split(x, y, {.test_size = 0.2})`.
/// Stratified, as scikit-learn's StratifiedShuffleSplit: as many test rows, shared among the labels in proportion to
/// their counts (each label the floor of its share, then one more row to the labels with the largest remainders,
/// ties to the smaller label). An Error when a label has fewer than 2 samples (a continuous target has one label
/// per value) or when either part would have fewer rows than there are labels.
Split train_test_split(const Matrix& x, const Matrix& y, SplitOptions options = {});

}  // namespace descent::data
