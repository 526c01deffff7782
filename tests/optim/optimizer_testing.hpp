// Shared fixtures for the optimizer tests: a two-parameter quadratic bowl, trajectory runners, Keras's golden run.
#pragma once

#include <descent/optim/optimizer.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <span>
#include <vector>

namespace descent::test {

using Flat = std::vector<double>;
using optim::ParamD;

/// A 2 x 2 "kernel" and a 1 x 3 "bias" on the bowl f(w) = 0.5 * sum_k a_k (w_k - c_k)^2 over the 7 weights in
/// flat order (kernel row-major, then bias), so an optimizer under test sees two parameters while a reference
/// implementation sees one flat vector. The curvatures a_k differ by a factor 8, so adaptive rates matter.
template <class T>
struct Bowl {
  static constexpr int size = 7;
  static double a(int k) { return 0.5 + 0.6 * k; }
  static double c(int k) { return 1.5 - 0.7 * k; }

  BasicParam<T> kernel{.name = "kernel", .value = MatrixT<T>(2, 2), .grad = MatrixT<T>::Zero(2, 2)};
  BasicParam<T> bias{.name = "bias", .value = MatrixT<T>(1, 3), .grad = MatrixT<T>::Zero(1, 3), .shape = {3}};

  Bowl() {
    kernel.value << T(0.3), T(-1.2), T(2.0), T(0.7);
    bias.value << T(-0.4), T(1.1), T(0.25);
  }

  static Flat start() { return {0.3, -1.2, 2.0, 0.7, -0.4, 1.1, 0.25}; }
  static Flat gradient(const Flat& w) {
    Flat g(w.size());
    for (int k = 0; k < size; ++k) g[k] = a(k) * (w[k] - c(k));
    return g;
  }
  static double value(const Flat& w) {
    double f = 0;
    for (int k = 0; k < size; ++k) f += 0.5 * a(k) * (w[k] - c(k)) * (w[k] - c(k));
    return f;
  }

  T& at(int k) { return k < 4 ? kernel.value(k / 2, k % 2) : bias.value(0, k - 4); }
  T& grad_at(int k) { return k < 4 ? kernel.grad(k / 2, k % 2) : bias.grad(0, k - 4); }

  Flat flat() {
    Flat w(size);
    for (int k = 0; k < size; ++k) w[k] = static_cast<double>(at(k));
    return w;
  }
  void set_gradients() {
    for (int k = 0; k < size; ++k) grad_at(k) = static_cast<T>(a(k) * (static_cast<double>(at(k)) - c(k)));
  }
};

/// The weights after each of `steps` steps of `optimizer` on the bowl, computing in T.
template <class T>
std::vector<Flat> run_bowl(optim::Optimizer& optimizer, int steps) {
  Bowl<T> bowl;
  BasicParam<T>* params[] = {&bowl.kernel, &bowl.bias};
  std::vector<Flat> path;
  for (int s = 0; s < steps; ++s) {
    bowl.set_gradients();
    optimizer.step(std::span<BasicParam<T>* const>(params));
    path.push_back(bowl.flat());
  }
  return path;
}

/// The same run through a reference rule `step(w, g)` that updates the flat weights in place.
inline std::vector<Flat> run_reference(const std::function<void(Flat& w, const Flat& g)>& step, int steps) {
  Flat w = Bowl<double>::start();
  std::vector<Flat> path;
  for (int s = 0; s < steps; ++s) {
    step(w, Bowl<double>::gradient(w));
    path.push_back(w);
  }
  return path;
}

/// Largest |a - b| over every step and weight.
inline double max_difference(const std::vector<Flat>& a, const std::vector<Flat>& b) {
  REQUIRE(a.size() == b.size());
  double d = 0;
  for (std::size_t s = 0; s < a.size(); ++s) {
    REQUIRE(a[s].size() == b[s].size());
    for (std::size_t k = 0; k < a[s].size(); ++k) d = std::max(d, std::abs(a[s][k] - b[s][k]));
  }
  return d;
}

/// Largest change of any weight over the run: a trajectory that barely moves would pass any comparison.
inline double total_movement(const std::vector<Flat>& path) {
  Flat w0 = Bowl<double>::start();
  double d = 0;
  for (std::size_t k = 0; k < w0.size(); ++k) d = std::max(d, std::abs(path.back()[k] - w0[k]));
  return d;
}

/// One step of `optimizer` on a single 1 x n double parameter with the given weights and gradient.
inline Flat one_step(optim::Optimizer& optimizer, const Flat& w, const Flat& g) {
  const Index n = static_cast<Index>(w.size());
  ParamD p{.name = "w", .value = MatrixT<double>(1, n), .grad = MatrixT<double>(1, n)};
  for (Index i = 0; i < n; ++i) {
    p.value(0, i) = w[i];
    p.grad(0, i) = g[i];
  }
  ParamD* params[] = {&p};
  optimizer.step(std::span<ParamD* const>(params));
  Flat out(w.size());
  for (Index i = 0; i < n; ++i) out[i] = p.value(0, i);
  return out;
}

/// Keras's golden test run (keras/src/optimizers/*_test.py, test_correctness_with_golden): x = ones(10), one step
/// with gradient 0.01 everywhere, then steps with gradient (0.1, 0.2, ..., 1.0); returns x before each of the later
/// five steps.
inline std::vector<Flat> keras_golden_run(optim::Optimizer& optimizer) {
  ParamD x{.name = "x", .value = MatrixT<double>::Ones(1, 10), .grad = MatrixT<double>::Constant(1, 10, 0.01)};
  ParamD* params[] = {&x};
  optimizer.step(std::span<ParamD* const>(params));
  std::vector<Flat> rows;
  for (int i = 0; i < 5; ++i) {
    rows.emplace_back(x.value.data(), x.value.data() + 10);
    for (int k = 0; k < 10; ++k) x.grad(0, k) = 0.1 * (k + 1);
    optimizer.step(std::span<ParamD* const>(params));
  }
  return rows;
}

/// Keras's assertAllClose(x, golden, rtol=5e-4, atol=5e-4).
inline void check_golden(const std::vector<Flat>& got, const std::vector<Flat>& golden) {
  REQUIRE(got.size() == golden.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    for (std::size_t k = 0; k < got[i].size(); ++k) {
      INFO("row ", i, ", element ", k, ": got ", got[i][k], ", Keras ", golden[i][k]);
      CHECK(std::abs(got[i][k] - golden[i][k]) <= 5e-4 + 5e-4 * std::abs(golden[i][k]));
    }
}

/// Keras's single-step test: w = (1, 2, 3, 4), g = (1, 6, 7, 2).
inline Flat keras_single_step(optim::Optimizer& optimizer) {
  return one_step(optimizer, {1.0, 2.0, 3.0, 4.0}, {1.0, 6.0, 7.0, 2.0});
}

}  // namespace descent::test
