#include "matmul.hpp"

#include <algorithm>

#ifdef DESCENT_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace descent {
namespace {

#ifdef DESCENT_HAVE_OPENBLAS
constexpr bool kHaveBlas = true;
#else
constexpr bool kHaveBlas = false;
#endif


// Row-major GEMM out (m x n) = op(a) (m x k) * op(b) (k x n); the leading dimensions are the stored widths.
// A template so that only the call for the build's Scalar is compiled.
template <class T>
void blas_gemm(bool transpose_a, bool transpose_b, Index m, Index n, Index k, const MatrixT<T>& a,
               const MatrixT<T>& b, MatrixT<T>& out) {
#ifdef DESCENT_HAVE_OPENBLAS
  // Until the user chooses, set_num_threads(0) gives every core to OpenBLAS and keeps Eigen's OpenMP pool off, so
  // that the two never run at once.
  [[maybe_unused]] static const int threads = num_threads();
  const auto ta = transpose_a ? CblasTrans : CblasNoTrans, tb = transpose_b ? CblasTrans : CblasNoTrans;
  const auto mi = static_cast<blasint>(m), ni = static_cast<blasint>(n), ki = static_cast<blasint>(k);
  const auto lda = static_cast<blasint>(a.cols()), ldb = static_cast<blasint>(b.cols()),
             ldc = static_cast<blasint>(out.cols());
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemm(CblasRowMajor, ta, tb, mi, ni, ki, 1.0f, a.data(), lda, b.data(), ldb, 0.0f, out.data(), ldc);
  else
    cblas_dgemm(CblasRowMajor, ta, tb, mi, ni, ki, 1.0, a.data(), lda, b.data(), ldb, 0.0, out.data(), ldc);
#else
  (void)transpose_a, (void)transpose_b, (void)m, (void)n, (void)k, (void)a, (void)b, (void)out;
#endif
}

}  // namespace

// Measured with bench/gemm on the suite's shapes (AVX-512, OpenBLAS 0.3.21): OpenBLAS matches or beats Eigen on
// every product but matrix-vector ones (a batch of one, an output of one unit), where the two are level and Eigen
// saves the call. Outer products (k = 1: a batch of one's dW) run 1.3-2.5x faster in OpenBLAS.
bool matmul_uses_blas(Index m, Index, Index n) { return kHaveBlas && m > 1 && n > 1; }

void matmul(const Matrix& a, const Matrix& b, Matrix& out) {
  out.resize(a.rows(), b.cols());
  if (matmul_uses_blas(a.rows(), a.cols(), b.cols()))
    blas_gemm(false, false, a.rows(), b.cols(), a.cols(), a, b, out);
  else
    out.noalias() = a * b;
}

void matmul_transpose_a(const Matrix& a, const Matrix& b, Matrix& out) {
  out.resize(a.cols(), b.cols());
  if (matmul_uses_blas(a.cols(), a.rows(), b.cols()))
    blas_gemm(true, false, a.cols(), b.cols(), a.rows(), a, b, out);
  else
    out.noalias() = a.transpose() * b;
}

void matmul_transpose_b(const Matrix& a, const Matrix& b, Matrix& out) {
  out.resize(a.rows(), b.rows());
  if (matmul_uses_blas(a.rows(), a.cols(), b.rows()))
    blas_gemm(false, true, a.rows(), b.rows(), a.cols(), a, b, out);
  else
    out.noalias() = a * b.transpose();
}

}  // namespace descent
