// Small matrices for tests: seeded uniform fills, rows written inline, and a relative comparison.
#pragma once

#include "gradient_check.hpp"

#include <descent/descent.hpp>

#include <initializer_list>

namespace descent::testing {

/// rows x cols of values drawn uniformly from [low, high) with a fixed seed.
inline Matrix uniform_matrix(Index rows, Index cols, std::uint64_t seed, double low = -2, double high = 2) {
  Rng rng(seed);
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<Scalar>(low + (high - low) * uniform01(rng));
  return m;
}

/// A 1 x n matrix: row({1, 2, 3}).
inline Matrix row(std::initializer_list<double> values) {
  Matrix m(1, static_cast<Index>(values.size()));
  Index j = 0;
  for (double v : values) m(0, j++) = static_cast<Scalar>(v);
  return m;
}

/// A matrix written row by row: matrix({{1, 2}, {3, 4}}) is 2 x 2.
inline Matrix matrix(std::initializer_list<std::initializer_list<double>> rows) {
  Matrix m(static_cast<Index>(rows.size()), rows.size() == 0 ? 0 : static_cast<Index>(rows.begin()->size()));
  Index i = 0;
  for (const auto& r : rows) {
    Index j = 0;
    for (double v : r) m(i, j++) = static_cast<Scalar>(v);
    ++i;
  }
  return m;
}

/// An n x 1 matrix: column({1, 2, 3}).
inline Matrix column(std::initializer_list<double> values) { return row(values).transpose(); }

/// Same shape and a relative error below `tolerance`. The default 1e-5 covers the float build's rounding on values
/// near 1 and is far tighter than any wrong formula.
inline bool close(const Matrix& a, const Matrix& b, double tolerance = 1e-5) {
  return a.rows() == b.rows() && a.cols() == b.cols() && relative_error(a, b) < tolerance;
}

}  // namespace descent::testing
