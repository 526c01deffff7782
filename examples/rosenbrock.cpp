// Rosenbrock's banana valley: how many steps plain GD, momentum and Nesterov need from (-1.2, 1) to (1, 1).
#include <descent/descent.hpp>

#include <cstdio>
#include <iostream>

using namespace descent;

// f(x, y) = (1 - x)^2 + 100 (y - x^2)^2: a narrow curved valley, minimum f(1, 1) = 0.
double rosenbrock(const Vector& v) {
  double x = v[0], y = v[1];
  return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
}

Vector rosenbrock_gradient(const Vector& v) {
  double x = v[0], y = v[1];
  Vector g(2);
  g << static_cast<Scalar>(-2 * (1 - x) - 400 * x * (y - x * x)), static_cast<Scalar>(200 * (y - x * x));
  return g;
}

int main() try {
  Vector start(2);
  start << -1.2, 1;
  const optim::MinimizeOptions options{.max_iterations = 100000, .tolerance = 1e-7, .record_history = false};
  std::printf("Rosenbrock from (-1.2, 1), learning rate 0.001, stop when no coordinate moves more than 1e-7\n");
  std::printf("%-20s %10s  %-15s %10s %10s %12s\n", "optimizer", "iterations", "stop reason", "x", "y", "f(x, y)");
  auto report = [&](const char* name, const optim::MinimizeResult& r) {
    std::printf("%-20s %10d  %-15s %10.6f %10.6f %12.3e\n", name, r.iterations, optim::to_string(r.stop_reason),
                static_cast<double>(r.x[0]), static_cast<double>(r.x[1]), r.f);
  };
  report("GD", optim::minimize(rosenbrock, rosenbrock_gradient, start, optim::GD({.learning_rate = 0.001}), options));
  report("momentum 0.9", optim::minimize(rosenbrock, rosenbrock_gradient, start,
                                         optim::SGD({.learning_rate = 0.001, .momentum = 0.9}), options));
  report("Nesterov 0.9", optim::minimize(rosenbrock, rosenbrock_gradient, start,
                                         optim::SGD({.learning_rate = 0.001, .momentum = 0.9, .nesterov = true}),
                                         options));
} catch (const descent::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
