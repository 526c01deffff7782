// Sum and gradient of losses that are a mean over output columns of an element-wise term, in double.
#pragma once

#include "../nn/tensor.hpp"

namespace descent::losses {

/// Sum over rows of (w_i / divisor) * sum_j term(t_ij, p_ij); divisor is the column count for Keras's
/// mean over the last axis, 1 for losses that sum over it (KL divergence).
template <class Term>
double sum_of_terms(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights, double divisor, Term term) {
  double total = 0.0;
  for (Index i = 0; i < y_pred.rows(); ++i) {
    double row = 0.0;
    for (Index j = 0; j < y_pred.cols(); ++j) row += term(static_cast<double>(y_true(i, j)), y_pred(i, j));
    total += sample_weight(weights, i) * row / divisor;
  }
  return total;
}

/// grad_ij = derivative(t_ij, p_ij) / (rows * divisor): the batch mean's 1/N and the per-sample 1/divisor.
template <class Derivative>
void gradient_of_terms(const Matrix& y_true, const Matrix& y_pred, double divisor, Matrix& grad,
                       Derivative derivative) {
  const double scale = 1.0 / (static_cast<double>(y_pred.rows()) * divisor);
  grad.resize(y_pred.rows(), y_pred.cols());
  for (Index i = 0; i < y_pred.rows(); ++i)
    for (Index j = 0; j < y_pred.cols(); ++j)
      grad(i, j) = static_cast<Scalar>(derivative(static_cast<double>(y_true(i, j)), y_pred(i, j)) * scale);
}

}  // namespace descent::losses
