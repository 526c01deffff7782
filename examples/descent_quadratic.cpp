// Gradient descent on f(x) = 3x^2 - 2x - 3 from x = 8: the path, every 50th point, and a CSV to plot.
//
// Usage: descent_quadratic [path.csv]   (default: descent_path.csv in the current directory)
// Plot:  gnuplot -e "csv='descent_path.csv'; png='descent_path.png'" scripts/plot_descent.gp
#include <descent/descent.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>

using namespace descent;

int main(int argc, char** argv) try {
  // Coefficients from the constant term up, as NumPy's polynomial module writes them: a = [-3, -2, 3].
  auto f = [](double x) { return 3 * x * x - 2 * x - 3; };
  auto df = [](double x) { return 6 * x - 2; };

  auto r = optim::minimize(f, df, 8.0, optim::GD({.learning_rate = 0.001}),
                           {.max_iterations = 500, .tolerance = 1e-5});

  std::printf("f(x) = 3x^2 - 2x - 3, f'(x) = 6x - 2, x0 = 8, learning rate 0.001, tolerance 1e-5\n");
  std::printf("%9s %12s %12s\n", "iteration", "x", "f(x)");
  for (std::size_t k = 0; k < r.history.size(); k += 50)
    std::printf("%9zu %12.6f %12.6f\n", k, r.history[k], r.f_history[k]);
  std::printf("final x = %.10f after %d iterations (%s), f(x) = %.10f\n", r.x, r.iterations,
              optim::to_string(r.stop_reason), r.f);
  std::printf("%s; the minimum is x* = 1/3, f(x*) = -10/3\n",
              r.converged ? "converged" : "did not converge within 500 iterations");

  const char* path = argc > 1 ? argv[1] : "descent_path.csv";
  std::ofstream csv(path);
  check(csv.good(), "descent_quadratic: cannot write ", path, ".");
  csv.precision(17);
  csv << "iteration,x,f\n";
  for (std::size_t k = 0; k < r.history.size(); ++k) csv << k << ',' << r.history[k] << ',' << r.f_history[k] << '\n';
  std::printf("path written to %s\n", path);
} catch (const descent::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
