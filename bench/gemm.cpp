// GEMM throughput at the suite's shapes: every product one training step of each configuration computes (forward
// x*W, backward dW = x^T*dy and dx = dy*W^T), timed alone on preallocated matrices, so that a configuration's
// achieved GFLOP/s can be read against what the machine's matrix products reach at the same shapes.
//
// Usage: gemm [threads=1] [config...]   prints per product
//   "<config> <product> <m>x<k>x<n> eigen <GFLOP/s> blas <GFLOP/s or -> uses <eigen|blas> descent <GFLOP/s> on <t>t
//    blas_threaded <GFLOP/s>"
// (Eigen's kernel, OpenBLAS's on one thread in a DESCENT_OPENBLAS build, the one descent::matmul picks for the shape,
// descent::matmul itself with the threads it splits the product over, and OpenBLAS on all threads), then a
// "<config> step <GFLOP per step> <GFLOP/s>" line: one step's products back to back through descent::matmul, and for
// a convnet a "<config> convs <GFLOP per step> <GFLOP/s>" line: its convolutions' products alone.
#include "suite_configs.hpp"

#ifdef DESCENT_HAVE_OPENBLAS
#include <cblas.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

using namespace descent;

namespace {

struct Product {
  std::string what;
  Matrix a, b, c;
  bool a_transposed = false, b_transposed = false;
  bool conv = false;  // one of a convolution's products

  double flops() const { return 2.0 * static_cast<double>(m() * k() * n()); }
  Index m() const { return c.rows(); }
  Index k() const { return a_transposed ? a.rows() : a.cols(); }
  Index n() const { return c.cols(); }
  void run_eigen() {
    if (a_transposed)
      c.noalias() = a.transpose() * b;
    else if (b_transposed)
      c.noalias() = a * b.transpose();
    else
      c.noalias() = a * b;
  }
  // OpenBLAS's sgemm/dgemm on the same row-major operands, whatever the shape.
  void run_blas() { blas(a, b, c); }  // through a template, so only the call for Scalar compiles
  template <class T>
  void blas([[maybe_unused]] const MatrixT<T>& a, [[maybe_unused]] const MatrixT<T>& b,
            [[maybe_unused]] MatrixT<T>& c) {
#ifdef DESCENT_HAVE_OPENBLAS
    const auto ta = a_transposed ? CblasTrans : CblasNoTrans, tb = b_transposed ? CblasTrans : CblasNoTrans;
    const auto mi = static_cast<blasint>(m()), ni = static_cast<blasint>(n()), ki = static_cast<blasint>(k());
    const auto lda = static_cast<blasint>(a.cols()), ldb = static_cast<blasint>(b.cols()),
               ldc = static_cast<blasint>(c.cols());
    if constexpr (std::is_same_v<T, float>)
      cblas_sgemm(CblasRowMajor, ta, tb, mi, ni, ki, 1.0f, a.data(), lda, b.data(), ldb, 0.0f, c.data(), ldc);
    else
      cblas_dgemm(CblasRowMajor, ta, tb, mi, ni, ki, 1.0, a.data(), lda, b.data(), ldb, 0.0, c.data(), ldc);
#endif
  }
  void run() {  // what Descent's layers call
    if (a_transposed)
      matmul_transpose_a(a, b, c);
    else if (b_transposed)
      matmul_transpose_b(a, b, c);
    else
      matmul(a, b, c);
  }
};

// The products of one step of `c`, layer by layer: forward, then the two backward products (no dx for the first
// layer). A convolution's are its im2col form: the batch's output positions as rows, its 3 x 3 window's values as x's
// columns (labelled C1, C2...; the dense layers L1, L2...).
std::vector<Product> step_products(const bench::Config& c) {
  std::vector<Product> products;
  auto add = [&](char kind, std::size_t l, Index rows, Index in, Index out, bool dx) {
    // Appended piece by piece: GCC 12's -Wrestrict misfires on std::string operator+ chains here.
    auto label = [&](const char* what) {
      std::string s(1, kind);
      s += std::to_string(l);
      s += ' ';
      s += what;
      return s;
    };
    const bool conv = kind == 'C';
    products.push_back({label("forward x*W"), Matrix::Random(rows, in), Matrix::Random(in, out), Matrix(rows, out),
                        false, false, conv});
    if (c.inference) return;
    products.push_back(
        {label("dW=x^T*dy"), Matrix::Random(rows, in), Matrix::Random(rows, out), Matrix(in, out), true, false, conv});
    if (dx)
      products.push_back({label("dx=dy*W^T"), Matrix::Random(rows, out), Matrix::Random(in, out), Matrix(rows, in),
                          false, true, conv});
  };
  std::size_t l = 0;
  for (const bench::ConvShape& g : c.conv_shapes()) {
    ++l;
    add('C', l, c.batch * g.positions(), g.window(), g.filters, l > 1);
  }
  for (std::size_t d = 1; d < c.widths.size(); ++d)
    add('L', d, c.batch, c.widths[d - 1], c.widths[d], d > 1 || c.convnet());
  return products;
}

// Median seconds of one call, over repetitions that together last about 0.2 s.
template <class F>
double median_seconds(F&& f) {
  using clock = std::chrono::steady_clock;
  f();
  const auto probe_start = clock::now();
  f();
  const double once = std::max(1e-9, std::chrono::duration<double>(clock::now() - probe_start).count());
  const int reps = static_cast<int>(std::clamp(0.2 / once, 5.0, 20000.0));
  std::vector<double> times;
  for (int r = 0; r < reps; ++r) {
    const auto start = clock::now();
    f();
    times.push_back(std::chrono::duration<double>(clock::now() - start).count());
  }
  std::nth_element(times.begin(), times.begin() + reps / 2, times.end());
  return times[static_cast<std::size_t>(reps / 2)];
}

}  // namespace

int main(int argc, char** argv) try {
  set_num_threads(argc > 1 ? std::atoi(argv[1]) : 1);
  std::vector<std::string> names;
  for (int i = 2; i < argc; ++i) names.push_back(argv[i]);
  if (names.empty())
    for (const bench::Config& c : bench::configs()) names.push_back(c.name);
  for (const std::string& name : names) {
    const bench::Config& c = bench::config(name);
    std::vector<Product> products = step_products(c);
    double step_flops = 0;
    for (Product& p : products) {
      step_flops += p.flops();
      std::cout << c.name << " " << p.what << " " << p.m() << "x" << p.k() << "x" << p.n() << " eigen "
                << p.flops() / median_seconds([&] { p.run_eigen(); }) * 1e-9 << " blas ";
#ifdef DESCENT_HAVE_OPENBLAS
      std::cout << p.flops() / median_seconds([&] { p.run_blas(); }) * 1e-9;
#else
      std::cout << "-";
#endif
      std::cout << " uses " << (matmul_uses_blas(p.m(), p.k(), p.n()) ? "blas" : "eigen") << " descent "
                << p.flops() / median_seconds([&] { p.run(); }) * 1e-9 << " on "
                << matmul_threads(p.m(), p.k(), p.n()) << "t";
#ifdef DESCENT_HAVE_OPENBLAS
      // For comparison: OpenBLAS splitting the product over its own threads (Descent keeps it at one).
      openblas_set_num_threads(num_threads());
      std::cout << " blas_threaded " << p.flops() / median_seconds([&] { p.run_blas(); }) * 1e-9;
      openblas_set_num_threads(1);
#endif
      std::cout << "\n";
    }
    const double s = median_seconds([&] {
      for (Product& p : products) p.run();
    });
    std::cout << c.name << " step " << step_flops * 1e-9 << " " << step_flops / s * 1e-9 << std::endl;
    if (!c.convnet()) continue;
    double conv_flops = 0;
    for (const Product& p : products) conv_flops += p.conv ? p.flops() : 0.0;
    const double conv_s = median_seconds([&] {
      for (Product& p : products)
        if (p.conv) p.run();
    });
    std::cout << c.name << " convs " << conv_flops * 1e-9 << " " << conv_flops / conv_s * 1e-9 << std::endl;
  }
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
