// The matrix products of the layers, in one place so that each shape goes to the faster kernel: OpenBLAS's GEMM
// (when Descent is built with DESCENT_OPENBLAS) for matrix-matrix shapes, Eigen's for matrix-vector ones, where
// the kernels are level and Eigen saves the call; and so that large products are split over the threads.
#pragma once

#include "tensor.hpp"
#include "threads.hpp"

namespace descent {

/// out = a * b. `out` is resized; it must not alias `a` or `b`.
void matmul(const Matrix& a, const Matrix& b, Matrix& out);
/// out = aᵀ * b, without forming aᵀ.
void matmul_transpose_a(const Matrix& a, const Matrix& b, Matrix& out);
/// out = a * bᵀ, without forming bᵀ.
void matmul_transpose_b(const Matrix& a, const Matrix& b, Matrix& out);

/// Whether an (m x k) * (k x n) product goes to OpenBLAS: false in a build without it.
bool matmul_uses_blas(Index m, Index k, Index n);
/// How many of num_threads() such a product is split over: 1 for small products and for Eigen's.
int matmul_threads(Index m, Index k, Index n);

}  // namespace descent
