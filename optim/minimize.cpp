// The descent loop behind optim::minimize, shared by the Scalar (vector) and double (one-variable) forms.
#include "minimize.hpp"

#include <descent/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <span>

namespace descent::optim {

const char* to_string(StopReason reason) {
  switch (reason) {
    case StopReason::tolerance: return "tolerance";
    case StopReason::iteration_limit: return "iteration_limit";
    case StopReason::diverged: return "diverged";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, StopReason reason) { return out << to_string(reason); }

namespace {

template <class T>
using GradientT = std::function<VectorT<T>(const VectorT<T>&)>;
template <class T>
using ObjectiveT = std::function<double(const VectorT<T>&)>;

void check_options(const Optimizer& optimizer, const MinimizeOptions& options) {
  check(options.max_iterations >= 0, "minimize: max_iterations is negative. Expected max_iterations >= 0; received ",
        "max_iterations=", options.max_iterations, ".");
  check(std::isfinite(options.tolerance) && options.tolerance >= 0,
        "minimize: bad tolerance. Expected a finite tolerance >= 0; received tolerance=", options.tolerance, ".");
  check(options.divergence_factor > 0, "minimize: bad divergence_factor. Expected divergence_factor > 0; received ",
        "divergence_factor=", options.divergence_factor, ".");
  // The Optimizer constructor already refuses these; a user-written optimizer is checked here again.
  check(std::isfinite(optimizer.learning_rate()) && optimizer.learning_rate() > 0, "minimize: bad learning rate. ",
        "Expected a finite learning_rate > 0; received ", optimizer.class_name(),
        " with learning_rate=", optimizer.learning_rate(), ".");
}

// One loop for both precisions. Per iteration: the optimizer turns gradient(x) into an update on its own parameter;
// an update within tolerance ends the descent unapplied (classic gradient descent), otherwise x moves and f and the
// gradient are evaluated there, so the result's gradient_norm always belongs to the returned x. Norms use
// stableNorm, which stays finite for every finite vector.
template <class T>
BasicMinimizeResult<VectorT<T>> descend(const ObjectiveT<T>* objective, const GradientT<T>& gradient,
                                        const VectorT<T>& x0, Optimizer& optimizer, const MinimizeOptions& options) {
  optimizer.reset();  // a used optimizer starts afresh: no step count, no momentum from another problem
  check_options(optimizer, options);
  check(x0.size() > 0, "minimize: the start point is empty. Expected x0 with at least one component; received x0 ",
        "of size 0.");
  for (Index i = 0; i < x0.size(); ++i)
    check(std::isfinite(x0[i]), "minimize: the start point is not finite. Expected finite components; received x0[",
          i, "]=", x0[i], ".");

  BasicMinimizeResult<VectorT<T>> r;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto evaluate = [&](const VectorT<T>& x, VectorT<T>& g, double& f) {
    g = gradient(x);
    check(g.size() == x.size(), "minimize: the gradient has the wrong size. Expected one component per component ",
          "of x; received a gradient of size ", g.size(), " for x of size ", x.size(), ".");
    f = objective != nullptr ? (*objective)(x) : nan;
  };
  auto finite = [&](const VectorT<T>& g, double f) {
    return g.allFinite() && (objective == nullptr || std::isfinite(f));
  };
  auto record = [&](const VectorT<T>& x, double f) {
    if (!options.record_history) return;
    r.history.push_back(x);
    if (objective != nullptr) r.f_history.push_back(f);
  };

  r.x = x0;
  VectorT<T> g;
  double f = nan;
  evaluate(r.x, g, f);
  record(r.x, f);
  const double f0 = f;
  const double g0 = static_cast<double>(g.stableNorm());
  const double f_bound = options.divergence_factor * std::max(1.0, std::abs(f0));
  const double g_bound = options.divergence_factor * std::max(1.0, g0);

  if (!finite(g, f)) {
    r.stop_reason = StopReason::diverged;
  } else {
    BasicParam<T> param{.name = "x", .value = r.x.transpose(), .grad = g.transpose()};
    BasicParam<T>* const params[] = {&param};
    VectorT<T> x_next, g_next;
    for (int k = 0; k < options.max_iterations; ++k) {
      param.value.row(0) = r.x.transpose();
      param.grad.row(0) = g.transpose();
      optimizer.step(std::span<BasicParam<T>* const>(params));
      x_next = param.value.row(0).transpose();
      if (!x_next.allFinite()) {
        r.stop_reason = StopReason::diverged;
        break;
      }
      const VectorT<T> update = x_next - r.x;
      r.max_update = static_cast<double>(update.cwiseAbs().maxCoeff());
      r.update_norm = static_cast<double>(update.stableNorm());
      if ((options.tolerance_on_norm ? r.update_norm : r.max_update) <= options.tolerance) {
        r.stop_reason = StopReason::tolerance;
        r.converged = true;
        break;
      }
      double f_next = nan;
      evaluate(x_next, g_next, f_next);
      if (!finite(g_next, f_next)) {
        r.stop_reason = StopReason::diverged;
        break;
      }
      r.x.swap(x_next);
      g.swap(g_next);
      f = f_next;
      ++r.iterations;
      record(r.x, f);
      const bool grew = objective != nullptr ? f - f0 > f_bound : static_cast<double>(g.stableNorm()) > g_bound;
      if (grew) {
        r.stop_reason = StopReason::diverged;
        break;
      }
    }
  }
  r.f = f;
  r.gradient_norm = static_cast<double>(g.stableNorm());
  return r;
}

}  // namespace

namespace detail {

MinimizeResult minimize(const Objective* objective, const Gradient& gradient, const Vector& x0,
                        Optimizer& optimizer, const MinimizeOptions& options) {
  return descend<Scalar>(objective, gradient, x0, optimizer, options);
}

ScalarMinimizeResult minimize(const ScalarFunction* objective, const ScalarFunction& derivative, double x0,
                              Optimizer& optimizer, const MinimizeOptions& options) {
  using V = VectorT<double>;
  const GradientT<double> gradient = [&](const V& x) { return V::Constant(1, derivative(x[0])); };
  const ObjectiveT<double> value = [&](const V& x) { return (*objective)(x[0]); };
  auto r = descend<double>(objective != nullptr ? &value : nullptr, gradient, V::Constant(1, x0), optimizer, options);

  ScalarMinimizeResult s;
  s.x = r.x[0];
  s.f = r.f;
  s.iterations = r.iterations;
  s.converged = r.converged;
  s.stop_reason = r.stop_reason;
  s.history.reserve(r.history.size());
  for (const V& x : r.history) s.history.push_back(x[0]);
  s.f_history = std::move(r.f_history);
  s.gradient_norm = r.gradient_norm;
  s.max_update = r.max_update;
  s.update_norm = r.update_norm;
  return s;
}

}  // namespace detail
}  // namespace descent::optim
