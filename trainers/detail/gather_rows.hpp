// The shuffled batch gather of fit.
#pragma once

#include <descent/core/tensor.hpp>

#include <vector>

namespace descent::nn::detail {

/// to = rows order[first], ..., order[first + count - 1] of `from`. Shuffled rows are scattered over the data set,
/// so each copy waits on memory unless its lines were requested a few rows ahead: the prefetches keep several loads
/// in flight (bench B1: the gather took a quarter of each step).
inline void gather_rows(const Matrix& from, const std::vector<Index>& order, Index first, Index count, Matrix& to) {
  constexpr Index kAhead = 4;
  constexpr Index kLine = 64 / sizeof(Scalar);
  if (to.rows() != count || to.cols() != from.cols()) to.resize(count, from.cols());
  const Index rows = static_cast<Index>(order.size());
  for (Index k = 0; k < count; ++k) {
    if (first + k + kAhead < rows) {
      const Scalar* ahead = from.row(order[static_cast<std::size_t>(first + k + kAhead)]).data();
      for (Index j = 0; j < from.cols(); j += kLine) __builtin_prefetch(ahead + j);
    }
    to.row(k) = from.row(order[static_cast<std::size_t>(first + k)]);
  }
}

}  // namespace descent::nn::detail
