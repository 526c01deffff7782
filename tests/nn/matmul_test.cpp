// matmul and its transposed forms against a plain triple loop in double, on the shapes that take each kernel.
#include <descent/descent.hpp>

#include <doctest/doctest.h>

#include <cmath>

using namespace descent;

namespace {

Matrix random_matrix(Index rows, Index cols, Rng& rng) {
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<Scalar>(2 * uniform01(rng) - 1);
  return m;
}

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

}  // namespace

TEST_CASE("matmul, matmul_transpose_a and matmul_transpose_b compute the products on every kind of shape") {
  Rng rng(3);
  // m x k times k x n: matrix-matrix, batch of one (a row times a matrix), outer product (k = 1), one output column,
  // and shapes with leading dimensions that are not multiples of any vector width.
  const Index shapes[][3] = {{7, 13, 5}, {1, 30, 16}, {30, 1, 16}, {32, 8, 1}, {64, 33, 17}, {2, 2, 2}};
  const double tolerance = sizeof(Scalar) == 4 ? 1e-4 : 1e-12;
  for (const auto& [m, k, n] : shapes) {
    CAPTURE(m);
    CAPTURE(k);
    CAPTURE(n);
    const Matrix a = random_matrix(m, k, rng), b = random_matrix(k, n, rng);
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

TEST_CASE("matmul_uses_blas leaves matrix-vector shapes to Eigen") {
  CHECK_FALSE(matmul_uses_blas(1, 784, 256));
  CHECK_FALSE(matmul_uses_blas(32, 8, 1));
  // Matrix-matrix shapes and outer products go to OpenBLAS exactly when the build has it (and Scalar is float).
  CHECK(matmul_uses_blas(128, 784, 256) == matmul_uses_blas(784, 1, 256));
}
