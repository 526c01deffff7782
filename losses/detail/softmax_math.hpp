// Row-wise log-sum-exp and softmax in double, shared by the categorical losses.
#pragma once

#include <descent/core/tensor.hpp>

#include <cmath>

namespace descent::losses {

/// log(sum_j exp(z_j)) over row i, shifted by the row maximum so it never overflows.
inline double row_logsumexp(const Matrix& z, Index i) {
  double top = z.row(i).maxCoeff();
  double s = 0.0;
  for (Index j = 0; j < z.cols(); ++j) s += std::exp(z(i, j) - top);
  return top + std::log(s);
}

}  // namespace descent::losses
