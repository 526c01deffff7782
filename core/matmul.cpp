#include "matmul.hpp"

#include <algorithm>
#include <type_traits>

#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef DESCENT_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace descent {
namespace {

#ifdef DESCENT_HAVE_OPENBLAS
// One operand of a product as OpenBLAS sees it: row-major storage, its stored width, and whether it is transposed.
template <class T>
struct Operand {
  const T* data;
  blasint ld;
  bool transposed;

  // The operand restricted to rows [first, first + count) of op(X) (rows = false: columns of op(X)).
  Operand block(Index first, bool rows) const {
    // op(X)'s rows are X's rows unless X is transposed; a row step is `ld` elements, a column step one.
    const bool along_stored_rows = rows != transposed;
    return {data + (along_stored_rows ? first * ld : first), ld, transposed};
  }
};

template <class T>
void blas(Operand<T> a, Operand<T> b, T* out, blasint ldc, Index m, Index n, Index k, bool accumulate) {
  const auto ta = a.transposed ? CblasTrans : CblasNoTrans, tb = b.transposed ? CblasTrans : CblasNoTrans;
  const auto mi = static_cast<blasint>(m), ni = static_cast<blasint>(n), ki = static_cast<blasint>(k);
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemm(CblasRowMajor, ta, tb, mi, ni, ki, 1.0f, a.data, a.ld, b.data, b.ld, accumulate ? 1.0f : 0.0f, out,
                ldc);
  else
    cblas_dgemm(CblasRowMajor, ta, tb, mi, ni, ki, 1.0, a.data, a.ld, b.data, b.ld, accumulate ? 1.0 : 0.0, out, ldc);
}

// How many threads an (m x k) * (k x n) product is split over. Measured with bench/gemm at 2 threads: below about a
// million multiply-adds (B1's products, B3's last layer) the fork and join cost more than half a product saves.
int threads_for(Index m, Index k, Index n) {
  constexpr double kMinMultiplyAddsPerThread = 1 << 19;
  const double work = static_cast<double>(m) * static_cast<double>(k) * static_cast<double>(n);
  const int by_work = static_cast<int>(std::max(1.0, work / kMinMultiplyAddsPerThread));
  return std::min(num_threads(), by_work);
}
#endif

// out (+)= op(a) * op(b) through OpenBLAS, when the build has it and the shape is one it wins; returns whether it ran.
// OpenBLAS itself stays at one thread: its threaded GEMM mallocs a job array on every call, which would break the
// no-allocation step. Instead the product is cut into one block of op(a)'s rows or op(b)'s columns per thread, so
// each thread packs only its share of the larger operand, and each block is a single-threaded GEMM.
bool blas_gemm(ConstMatrixView a, bool transpose_a, ConstMatrixView b, bool transpose_b, MatrixView out,
               bool accumulate) {
  const Index m = out.rows, n = out.cols, k = transpose_a ? a.rows : a.cols;
  if (!matmul_uses_blas(m, k, n)) return false;
#ifdef DESCENT_HAVE_OPENBLAS
  const Operand<Scalar> oa{a.data, static_cast<blasint>(a.stride), transpose_a};
  const Operand<Scalar> ob{b.data, static_cast<blasint>(b.stride), transpose_b};
  const auto ldc = static_cast<blasint>(out.stride);
  const int threads = threads_for(m, k, n);
  if (threads == 1) {
    blas(oa, ob, out.data, ldc, m, n, k, accumulate);
    return true;
  }
  // Splitting the rows of op(a) repacks all of op(b) (k x n) in each thread, splitting the columns of op(b) repacks
  // op(a) (m x k): split the dimension whose other operand is smaller. Blocks start on 64-byte boundaries.
  const bool split_rows = m >= n;
  const Index extent = split_rows ? m : n;
  constexpr Index kAlign = 64 / sizeof(Scalar);
#pragma omp parallel num_threads(threads)
  {
    int t = 0, team = 1;
#ifdef _OPENMP
    t = omp_get_thread_num();
    team = omp_get_num_threads();
#endif
    auto boundary = [&](int i) {
      return i == team ? extent : std::min(extent, (extent * i / team + kAlign / 2) / kAlign * kAlign);
    };
    const Index first = boundary(t), count = boundary(t + 1) - first;
    if (count > 0) {
      if (split_rows)
        blas(oa.block(first, true), ob, out.data + first * out.stride, ldc, count, n, k, accumulate);
      else
        blas(oa, ob.block(first, false), out.data + first, ldc, m, count, k, accumulate);
    }
  }
  return true;
#else
  (void)a, (void)transpose_a, (void)b, (void)transpose_b, (void)accumulate;
  return false;
#endif
}

// The same product in Eigen, for the shapes and builds OpenBLAS does not take.
void eigen_gemm(ConstMatrixView a, bool transpose_a, ConstMatrixView b, bool transpose_b, MatrixView out,
                bool accumulate) {
  using Stride = Eigen::OuterStride<>;
  Eigen::Map<const Matrix, 0, Stride> ma(a.data, a.rows, a.cols, Stride(a.stride));
  Eigen::Map<const Matrix, 0, Stride> mb(b.data, b.rows, b.cols, Stride(b.stride));
  Eigen::Map<Matrix, 0, Stride> mo(out.data, out.rows, out.cols, Stride(out.stride));
  auto store = [&](const auto& product) {
    if (accumulate) mo.noalias() += product;
    else mo.noalias() = product;
  };
  if (transpose_a && transpose_b) store(ma.transpose() * mb.transpose());
  else if (transpose_a) store(ma.transpose() * mb);
  else if (transpose_b) store(ma * mb.transpose());
  else store(ma * mb);
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

int matmul_threads(Index m, Index k, Index n) {
#ifdef DESCENT_HAVE_OPENBLAS
  if (matmul_uses_blas(m, k, n)) return threads_for(m, k, n);
#else
  (void)m, (void)k, (void)n;
#endif
  return 1;
}

void gemm(ConstMatrixView a, bool transpose_a, ConstMatrixView b, bool transpose_b, MatrixView out,
          bool accumulate) {
  if (!blas_gemm(a, transpose_a, b, transpose_b, out, accumulate))
    eigen_gemm(a, transpose_a, b, transpose_b, out, accumulate);
}

void matmul(const Matrix& a, const Matrix& b, Matrix& out) {
  out.resize(a.rows(), b.cols());
  gemm(view(a), false, view(b), false, view(out));
}

void matmul_transpose_a(const Matrix& a, const Matrix& b, Matrix& out) {
  out.resize(a.cols(), b.cols());
  gemm(view(a), true, view(b), false, view(out));
}

void matmul_transpose_b(const Matrix& a, const Matrix& b, Matrix& out) {
  out.resize(a.rows(), b.rows());
  gemm(view(a), false, view(b), true, view(out));
}

}  // namespace descent
