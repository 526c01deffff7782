// optim::minimize: gradient descent on any function, driven by the same optimizers as fit (GD, SGD, ...).
#pragma once

#include "optimizer.hpp"

#include <concepts>
#include <functional>
#include <iosfwd>
#include <limits>
#include <vector>

namespace descent::optim {

/// How minimize stops. Field order is API: only append.
struct MinimizeOptions {
  int max_iterations = 50;  ///< updates at most; 0 returns the start point
  /// Converged once the next update would move every component of x by at most this (0: only a zero update).
  double tolerance = 1e-5;
  bool record_history = true;  ///< keep every point of the path (and f when the objective is given)
  /// Growth that counts as divergence: f(x) - f(x0) > divergence_factor * max(1, |f(x0)|), or without an
  /// objective ||gradient(x)|| > divergence_factor * max(1, ||gradient(x0)||). Non-finite values always diverge.
  double divergence_factor = 1e10;
  /// Compare the tolerance with the Euclidean norm of the update instead of its largest component.
  bool tolerance_on_norm = false;
};

enum class StopReason {
  tolerance,        ///< the next update was at most `tolerance` in every component (or in norm)
  iteration_limit,  ///< max_iterations updates were applied
  diverged,         ///< x, f or the gradient became non-finite, or grew past the divergence bound
};
/// "tolerance", "iteration_limit" or "diverged".
const char* to_string(StopReason reason);
std::ostream& operator<<(std::ostream& out, StopReason reason);

/// Where minimize stopped and how it got there. X is Vector, or double for a function of one variable.
template <class X>
struct BasicMinimizeResult {
  X x{};  ///< the final point; when diverged, the last point where x, f and the gradient were finite and in bounds
  double f = std::numeric_limits<double>::quiet_NaN();  ///< f(x) when the objective was given
  int iterations = 0;                                    ///< updates applied
  bool converged = false;                                ///< stop_reason == StopReason::tolerance
  StopReason stop_reason = StopReason::iteration_limit;
  std::vector<X> history;         ///< x0, x1, ..., x: iterations + 1 points (with record_history)
  std::vector<double> f_history;  ///< f at each point of history, when the objective was given
  double gradient_norm = 0;       ///< Euclidean norm of the gradient at x
  double max_update = 0;   ///< largest |component| of the last update computed: what the tolerance compares
  double update_norm = 0;  ///< Euclidean norm of that update
};
using MinimizeResult = BasicMinimizeResult<Vector>;
using ScalarMinimizeResult = BasicMinimizeResult<double>;

/// The gradient of f at x: same size as x.
using Gradient = std::function<Vector(const Vector&)>;
/// f(x), recorded along the path and used to detect divergence.
using Objective = std::function<double(const Vector&)>;
/// f(x) or f'(x) for a function of one variable.
using ScalarFunction = std::function<double(double)>;

namespace detail {
MinimizeResult minimize(const Objective* objective, const Gradient& gradient, const Vector& x0,
                        Optimizer& optimizer, const MinimizeOptions& options);
ScalarMinimizeResult minimize(const ScalarFunction* objective, const ScalarFunction& derivative, double x0,
                              Optimizer& optimizer, const MinimizeOptions& options);
}  // namespace detail

/// Descends from x0: each iteration asks `optimizer` for the update from gradient(x), stops (without applying it)
/// when every component of that update is at most options.tolerance in absolute value, and otherwise applies it,
/// for at most options.max_iterations updates — the loop of classic NumPy gradient descent, so
/// minimize(df, 10.0, GD({.learning_rate = 0.2}), {.tolerance = 1e-6}) on f = x^2 returns 10 * 0.6^30.
///
/// The optimizer is taken by value and reset: the caller's object is never changed, and any Optimizer works
/// (GD, SGD with momentum or Nesterov, a user-written one). Its own stopping rule (GD's tolerance) belongs to
/// fit; here options.tolerance decides. Computes in Scalar; the overloads for one variable compute in double.
/// Throws Error for an empty or non-finite x0, a gradient of the wrong size or bad options.
template <std::derived_from<Optimizer> O>
MinimizeResult minimize(const Gradient& gradient, const Vector& x0, O optimizer, MinimizeOptions options = {}) {
  return detail::minimize(nullptr, gradient, x0, optimizer, options);
}

/// As above, also recording f along the path (f_history) and stopping when f diverges.
template <std::derived_from<Optimizer> O>
MinimizeResult minimize(const Objective& objective, const Gradient& gradient, const Vector& x0, O optimizer,
                        MinimizeOptions options = {}) {
  return detail::minimize(&objective, gradient, x0, optimizer, options);
}

/// A function of one variable, in double in every build: minimize([](double x) { return 6 * x - 2; }, 8.0, ...).
template <std::derived_from<Optimizer> O>
ScalarMinimizeResult minimize(const ScalarFunction& derivative, double x0, O optimizer,
                              MinimizeOptions options = {}) {
  return detail::minimize(nullptr, derivative, x0, optimizer, options);
}

/// A function of one variable with its derivative, recording f along the path.
template <std::derived_from<Optimizer> O>
ScalarMinimizeResult minimize(const ScalarFunction& objective, const ScalarFunction& derivative, double x0,
                              O optimizer, MinimizeOptions options = {}) {
  return detail::minimize(&objective, derivative, x0, optimizer, options);
}

}  // namespace descent::optim
