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

/// Shuffles the samples with the seed and cuts off ceil(test_size * samples) for testing; stratified, each label
/// contributes round(test_size * its count). `auto [train, test] = train_test_split(x, y, {.test_size = 0.2})`.
Split train_test_split(const Matrix& x, const Matrix& y, SplitOptions options = {});

}  // namespace descent::data
