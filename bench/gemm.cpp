// GEMM throughput at the suite's shapes: every product one training step of each configuration computes (forward
// x*W, backward dW = x^T*dy and dx = dy*W^T), timed alone on preallocated matrices, so that a configuration's
// achieved GFLOP/s can be read against what the machine's matrix products reach at the same shapes.
//
// Usage: gemm [threads=1] [config...]   prints per product
//   "<config> <product> <m>x<k>x<n>[ in <g> groups] eigen <GFLOP/s> blas <GFLOP/s or -> uses <eigen|blas>
//    descent <GFLOP/s> on <t>t blas_threaded <GFLOP/s>"
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
  // A grouped product (a depthwise convolution's, one group per channel): a, b and c split into this many blocks of
  // columns, and block g of c is op(block g of a) * op(block g of b), as Descent's grouped convolutions multiply.
  Index groups = 1;

  double flops() const { return 2.0 * static_cast<double>(m() * k() * n() * groups); }
  Index m() const { return c.rows(); }
  Index k() const { return a_transposed ? a.rows() : a.cols() / groups; }
  Index n() const { return c.cols() / groups; }
  Index a_block() const { return a.cols() / groups; }
  Index b_block() const { return b.cols() / groups; }
  void run_eigen() {
    for (Index g = 0; g < groups; ++g) {
      const auto a_g = a.middleCols(g * a_block(), a_block());
      const auto b_g = b.middleCols(g * b_block(), b_block());
      auto c_g = c.middleCols(g * n(), n());
      if (a_transposed)
        c_g.noalias() = a_g.transpose() * b_g;
      else if (b_transposed)
        c_g.noalias() = a_g * b_g.transpose();
      else
        c_g.noalias() = a_g * b_g;
    }
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
    for (Index g = 0; g < groups; ++g) {
      const T* ag = a.data() + g * a_block();
      const T* bg = b.data() + g * b_block();
      T* cg = c.data() + g * n();
      if constexpr (std::is_same_v<T, float>)
        cblas_sgemm(CblasRowMajor, ta, tb, mi, ni, ki, 1.0f, ag, lda, bg, ldb, 0.0f, cg, ldc);
      else
        cblas_dgemm(CblasRowMajor, ta, tb, mi, ni, ki, 1.0, ag, lda, bg, ldb, 0.0, cg, ldc);
    }
#endif
  }
  void run() {  // what Descent's layers call
    if (groups > 1) {
      for (Index g = 0; g < groups; ++g)
        gemm(columns(view(a), g * a_block(), a_block()), a_transposed, columns(view(b), g * b_block(), b_block()),
             b_transposed, columns(view(c), g * n(), n()));
    } else if (a_transposed) {
      matmul_transpose_a(a, b, c);
    } else if (b_transposed) {
      matmul_transpose_b(a, b, c);
    } else {
      matmul(a, b, c);
    }
  }
};

// The products of one step of `c`, layer by layer: forward, then the two backward products (no dx for the first
// layer), each as Descent's layers compute it. A convolution's are its im2col form, the batch's output positions as
// rows and a window's values as columns (labelled C1, C2...; the dense layers L1, L2...): a Conv2D's (the pointwise
// 1 x 1 ones without im2col, the same products), a depthwise one's one group per channel, a separable one's
// depthwise then pointwise, and a transposed one's over the input's positions (x Wᵀ gives each position's
// contributions to its output window, col2im sums them).
std::vector<Product> step_products(const bench::Config& c) {
  std::vector<Product> products;
  auto label = [&](char kind, std::size_t l, const char* what) {
    // Appended piece by piece: GCC 12's -Wrestrict misfires on std::string operator+ chains here.
    std::string s(1, kind);
    s += std::to_string(l);
    s += ' ';
    s += what;
    return s;
  };
  // out = op(a) op(b) with a (a_rows x a_cols), b (b_rows x b_cols), out (c_rows x c_cols); groups split the columns.
  auto push = [&](std::string what, Index a_rows, Index a_cols, bool ta, Index b_rows, Index b_cols, bool tb,
                  Index c_rows, Index c_cols, bool conv, Index groups = 1) {
    products.push_back({std::move(what), Matrix::Random(a_rows, a_cols), Matrix::Random(b_rows, b_cols),
                        Matrix(c_rows, c_cols), ta, tb, conv, groups});
  };
  // y = x W, dW = xᵀ dy, dx = dy Wᵀ: x (rows x in), W (in / groups x out), y (rows x out), `groups` blocks of
  // in and out side by side.
  auto add = [&](char kind, std::size_t l, const std::string& part, Index rows, Index in, Index out, bool dx,
                 Index groups = 1) {
    const bool conv = kind == 'C';
    const Index w_rows = in / groups;
    push(label(kind, l, (part + "forward x*W").c_str()), rows, in, false, w_rows, out, false, rows, out, conv, groups);
    if (c.inference) return;
    push(label(kind, l, (part + "dW=x^T*dy").c_str()), rows, in, true, rows, out, false, w_rows, out, conv, groups);
    if (dx)
      push(label(kind, l, (part + "dx=dy*W^T").c_str()), rows, out, false, w_rows, out, true, rows, in, conv, groups);
  };
  std::size_t l = 0;
  for (const bench::ConvShape& g : c.conv_shapes()) {
    ++l;
    const Index rows = c.batch * g.positions(), taps = g.conv.kernel * g.conv.kernel;
    switch (g.conv.kind) {
      case bench::ConvKind::conv2d:
        add('C', l, "", rows, g.window(), g.filters, l > 1);
        break;
      case bench::ConvKind::depthwise:
        add('C', l, "", rows, taps * g.channels, g.channels, l > 1, g.channels);
        break;
      case bench::ConvKind::separable:
        add('C', l, "depthwise ", rows, taps * g.channels, g.channels, l > 1, g.channels);
        add('C', l, "pointwise ", rows, g.channels, g.filters, true);
        break;
      case bench::ConvKind::transpose: {
        // x (n * in positions, channels), W (taps * filters, channels), cols (n * in positions, taps * filters).
        const Index in_rows = c.batch * g.height * g.width, width = taps * g.filters, ch = g.channels;
        push(label('C', l, "forward cols=x*W^T"), in_rows, ch, false, width, ch, true, in_rows, width, true);
        if (c.inference) break;
        push(label('C', l, "dW=dcols^T*x"), in_rows, width, true, in_rows, ch, false, width, ch, true);
        if (l > 1) push(label('C', l, "dx=dcols*W"), in_rows, width, false, width, ch, false, in_rows, ch, true);
        break;
      }
    }
  }
  for (std::size_t d = 1; d < c.widths.size(); ++d)
    add('L', d, "", c.batch, c.widths[d - 1], c.widths[d], d > 1 || c.convnet());
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
      std::cout << c.name << " " << p.what << " " << p.m() << "x" << p.k() << "x" << p.n();
      if (p.groups > 1) std::cout << " in " << p.groups << " groups";
      std::cout << " eigen " << p.flops() / median_seconds([&] { p.run_eigen(); }) * 1e-9 << " blas ";
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
