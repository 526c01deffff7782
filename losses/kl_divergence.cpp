// Kullback-Leibler divergence (Keras 3 keras/src/losses/losses.py, kl_divergence).
#include "kl_divergence.hpp"

#include <descent/losses/detail/elementwise_math.hpp>

#include <descent/core/error.hpp>

#include <algorithm>
#include <cmath>

namespace descent::losses {
namespace {
// Keras clips in the working precision, to [epsilon, 1].
double clipped(Scalar v) { return std::clamp(v, kEpsilon, Scalar(1)); }
}  // namespace

double KLDivergence::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  return sum_of_terms(y_true, y_pred, weights, 1.0, [](double t, Scalar p) {
    double tc = clipped(static_cast<Scalar>(t));
    return tc * (std::log(tc) - std::log(clipped(p)));
  });
}

void KLDivergence::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  gradient_of_terms(y_true, y_pred, 1.0, grad, [](double t, Scalar p) {
    if (p < kEpsilon || p > Scalar(1)) return 0.0;  // the clip has zero gradient outside its bounds
    return -clipped(static_cast<Scalar>(t)) / static_cast<double>(p);
  });
}

void KLDivergence::check_targets(const Matrix& y_true, Index outputs, const std::string& where) const {
  Loss::check_targets(y_true, outputs, where);
  for (Index i = 0; i < y_true.rows(); ++i)
    for (Index j = 0; j < y_true.cols(); ++j)
      check(y_true(i, j) >= 0 && y_true(i, j) <= 1, where,
            ": kl_divergence expects probability targets in [0, 1]; received ", y_true(i, j), " at row ", i,
            ", column ", j, ".");
}

}  // namespace descent::losses
