// matmul and its transposed forms against a plain triple loop in double, on the shapes that take each kernel.
#include "support/matrices.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <initializer_list>
#include <thread>

using namespace descent;

namespace {

Matrix transposed(const Matrix& m) {
  Matrix t(m.cols(), m.rows());
  for (Index i = 0; i < m.rows(); ++i)
    for (Index j = 0; j < m.cols(); ++j) t(j, i) = m(i, j);
  return t;
}

// The largest |a * b - out| over the entries, the product summed in double by hand.
double max_error(const Matrix& a, const Matrix& b, const Matrix& out) {
  REQUIRE(out.rows() == a.rows());
  REQUIRE(out.cols() == b.cols());
  double worst = 0;
  for (Index i = 0; i < a.rows(); ++i)
    for (Index j = 0; j < b.cols(); ++j) {
      double sum = 0;
      for (Index k = 0; k < a.cols(); ++k) sum += static_cast<double>(a(i, k)) * static_cast<double>(b(k, j));
      worst = std::max(worst, std::abs(sum - static_cast<double>(out(i, j))));
    }
  return worst;
}

// Each of the three forms on each m x k x n shape, against the hand-summed product.
void check_products(std::initializer_list<std::array<Index, 3>> shapes, std::uint64_t seed) {
  for (const auto& [m, k, n] : shapes) {
    CAPTURE(m);
    CAPTURE(k);
    CAPTURE(n);
    // Float sums of k products of values in [-1, 1]; a misplaced block would be off by whole units.
    const double tolerance = sizeof(Scalar) == 4 ? 1e-4 + 1e-6 * static_cast<double>(k) : 1e-12;
    const Matrix a = testing::uniform_matrix(m, k, seed++, -1, 1), b = testing::uniform_matrix(k, n, seed++, -1, 1);
    Matrix out(3, 3);  // the wrong size on purpose: each call resizes
    matmul(a, b, out);
    CHECK(max_error(a, b, out) < tolerance);
    const Matrix at = transposed(a), bt = transposed(b);
    matmul_transpose_a(at, b, out);
    CHECK(max_error(a, b, out) < tolerance);
    matmul_transpose_b(a, bt, out);
    CHECK(max_error(a, b, out) < tolerance);
  }
}

}  // namespace

TEST_CASE("matmul, matmul_transpose_a and matmul_transpose_b compute the products on every kind of shape") {
  // m x k times k x n: matrix-matrix, batch of one (a row times a matrix), outer product (k = 1), one output column,
  // and shapes with leading dimensions that are not multiples of any vector width.
  check_products({{7, 13, 5}, {1, 30, 16}, {30, 1, 16}, {32, 8, 1}, {64, 33, 17}, {2, 2, 2}}, 3);
}

TEST_CASE("Products split over two threads are computed whole: row blocks, column blocks, uneven widths") {
  set_num_threads(2);
  // Rows split (m >= n) and columns split (m < n), widths that do not divide evenly, and a 10-wide output.
  const bool blas = matmul_uses_blas(200, 300, 150);
  CHECK(matmul_threads(200, 300, 150) == (blas ? 2 : 1));
  CHECK(matmul_threads(40, 500, 301) == (blas ? 2 : 1));
  CHECK(matmul_threads(32, 30, 16) == 1);  // too small to share
  check_products({{200, 300, 150}, {40, 500, 301}, {301, 500, 40}, {130, 1024, 10}, {10, 1024, 130}}, 20);
  set_num_threads(0);
}

TEST_CASE("set_num_threads sets num_threads; 0 restores every core") {
  set_num_threads(3);
  CHECK(num_threads() == 3);
  set_num_threads(0);
  CHECK(num_threads() == static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

TEST_CASE("matmul_uses_blas leaves matrix-vector shapes to Eigen") {
  CHECK_FALSE(matmul_uses_blas(1, 784, 256));
  CHECK_FALSE(matmul_uses_blas(32, 8, 1));
  // Matrix-matrix shapes and outer products go to OpenBLAS exactly when the build has it (and Scalar is float).
  CHECK(matmul_uses_blas(128, 784, 256) == matmul_uses_blas(784, 1, 256));
}
