// The matrix products of the layers, in one place so that each shape goes to the faster kernel: OpenBLAS's GEMM
// (when Descent is built with DESCENT_OPENBLAS) for matrix-matrix shapes, Eigen's for matrix-vector ones, where
// the kernels are level and Eigen saves the call; and so that large products are split over the threads.
#pragma once

#include "tensor.hpp"
#include "threads.hpp"

#include <type_traits>

namespace descent {

/// A row-major matrix in memory someone else owns: `rows` x `cols`, `stride` elements from one row to the next. The
/// convolutions multiply blocks of their buffers (a group's columns, a batch seen as one row per output pixel) without
/// copying them out.
template <class T>
struct MatrixViewT {
  T* data;
  Index rows, cols, stride;
  /// A view that writes is also one that reads.
  operator MatrixViewT<const T>() const requires(!std::is_const_v<T>) { return {data, rows, cols, stride}; }
};
using MatrixView = MatrixViewT<Scalar>;
using ConstMatrixView = MatrixViewT<const Scalar>;

/// The whole of m, or m's storage seen as `rows` x `cols` (rows * cols must be m.size()).
inline ConstMatrixView view(const Matrix& m) { return {m.data(), m.rows(), m.cols(), m.cols()}; }
inline MatrixView view(Matrix& m) { return {m.data(), m.rows(), m.cols(), m.cols()}; }
inline ConstMatrixView view(const Matrix& m, Index rows, Index cols) { return {m.data(), rows, cols, cols}; }
inline MatrixView view(Matrix& m, Index rows, Index cols) { return {m.data(), rows, cols, cols}; }
/// Columns [first, first + count) of v.
template <class T>
MatrixViewT<T> columns(MatrixViewT<T> v, Index first, Index count) { return {v.data + first, v.rows, count, v.stride}; }

/// out = op(a) * op(b), or out += op(a) * op(b) when `accumulate`; op transposes when asked. out is sized by the
/// caller and must not overlap a or b.
void gemm(ConstMatrixView a, bool transpose_a, ConstMatrixView b, bool transpose_b, MatrixView out,
          bool accumulate = false);

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
