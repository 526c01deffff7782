#include "matmul.hpp"

#include <type_traits>

#ifdef DESCENT_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace descent {
namespace {

// out = op(a) * op(b) through OpenBLAS, when the build has it and the shape is one it wins; returns whether it ran.
// A template so that only the call for the build's Scalar is compiled.
template <class T>
bool blas_gemm(bool transpose_a, bool transpose_b, const MatrixT<T>& a, const MatrixT<T>& b, MatrixT<T>& out) {
  const Index m = out.rows(), n = out.cols(), k = transpose_a ? a.rows() : a.cols();
  if (!matmul_uses_blas(m, k, n)) return false;
#ifdef DESCENT_HAVE_OPENBLAS
  // Until the user chooses, set_num_threads(0) gives every core to OpenBLAS and keeps Eigen's OpenMP pool off, so
  // that the two never run at once.
  [[maybe_unused]] static const int threads = num_threads();
  const auto ta = transpose_a ? CblasTrans : CblasNoTrans, tb = transpose_b ? CblasTrans : CblasNoTrans;
  // Row-major: the leading dimensions are the stored widths.
  const auto mi = static_cast<blasint>(m), ni = static_cast<blasint>(n), ki = static_cast<blasint>(k);
  const auto lda = static_cast<blasint>(a.cols()), ldb = static_cast<blasint>(b.cols()),
             ldc = static_cast<blasint>(out.cols());
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemm(CblasRowMajor, ta, tb, mi, ni, ki, 1.0f, a.data(), lda, b.data(), ldb, 0.0f, out.data(), ldc);
  else
    cblas_dgemm(CblasRowMajor, ta, tb, mi, ni, ki, 1.0, a.data(), lda, b.data(), ldb, 0.0, out.data(), ldc);
  return true;
#else
  (void)transpose_b, (void)b;
  return false;
#endif
}

}  // namespace

// Measured with bench/gemm on the suite's shapes (AVX-512, OpenBLAS 0.3.21): OpenBLAS matches or beats Eigen on
// every product but matrix-vector ones (a batch of one, an output of one unit), where the two are level and Eigen
// saves the call. Outer products (k = 1: a batch of one's dW) run 1.3-2.5x faster in OpenBLAS.
// Float only: OpenBLAS 0.3.21's small-matrix dgemm kernel for AVX-512 mallocs on every call (the allocation test
// caught it in the double build), and double builds are for gradient checks, not speed.
bool matmul_uses_blas(Index m, Index, Index n) {
#ifdef DESCENT_HAVE_OPENBLAS
  return std::is_same_v<Scalar, float> && m > 1 && n > 1;
#else
  (void)m, (void)n;
  return false;
#endif
}

void matmul(const Matrix& a, const Matrix& b, Matrix& out) {
  out.resize(a.rows(), b.cols());
  if (!blas_gemm(false, false, a, b, out)) out.noalias() = a * b;
}

void matmul_transpose_a(const Matrix& a, const Matrix& b, Matrix& out) {
  out.resize(a.cols(), b.cols());
  if (!blas_gemm(true, false, a, b, out)) out.noalias() = a.transpose() * b;
}

void matmul_transpose_b(const Matrix& a, const Matrix& b, Matrix& out) {
  out.resize(a.rows(), b.rows());
  if (!blas_gemm(false, true, a, b, out)) out.noalias() = a * b.transpose();
}

}  // namespace descent
