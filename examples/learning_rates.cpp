// The learning-rate lesson: the same convex function and start, five rates, four behaviours.
#include <descent/descent.hpp>

#include <cstdio>
#include <iostream>

using namespace descent;

int main() try {
  // f(x) = 3x^2 - 2x - 3 has curvature a = 3: GD multiplies x - x* by r = 1 - 6 lr each step, so it creeps for
  // small lr, oscillates (r < 0) past lr = 1/6 and diverges (|r| > 1) past lr = 1/3.
  auto f = [](double x) { return 3 * x * x - 2 * x - 3; };
  auto df = [](double x) { return 6 * x - 2; };
  std::printf("f(x) = 3x^2 - 2x - 3 from x0 = 8, at most 50 iterations, tolerance 1e-5; minimum x* = 1/3\n");
  std::printf("%13s %8s %14s %10s  %-15s %s\n", "learning rate", "r", "final x", "iterations", "stop reason",
              "behaviour");
  for (double lr : {0.001, 0.1, 0.2, 0.3, 0.7}) {
    auto r = optim::minimize(f, df, 8.0, optim::GD({.learning_rate = lr}));  // defaults: 50 iterations, tol 1e-5
    double ratio = 1 - 6 * lr;
    const char* behaviour = r.stop_reason == optim::StopReason::diverged ? "diverges: |r| > 1"
                            : r.converged ? (ratio < 0 ? "converges, oscillating around x*" : "converges")
                            : ratio < 0   ? "oscillates, shrinking slowly"
                                          : "slow: stops far from x*";
    std::printf("%13g %8.3f %14.8g %10d  %-15s %s\n", lr, ratio, r.x, r.iterations, optim::to_string(r.stop_reason),
                behaviour);
  }
} catch (const descent::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
