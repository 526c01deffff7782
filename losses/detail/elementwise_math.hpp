// Sum and gradient of losses that are a mean over output columns of an element-wise term, in double.
#pragma once

#include <descent/core/tensor.hpp>

#include <algorithm>
#include <array>

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

using FlatArray = Eigen::Array<Scalar, Eigen::Dynamic, 1>;

/// Elements [first, first + count) of a matrix in storage order, as a flat array.
inline Eigen::Map<const FlatArray> flat(const Matrix& m, Index first, Index count) {
  return {m.data() + first, count};
}

/// sum_of_terms with the terms computed in Scalar precision, as Keras computes them in float32, by `terms(t, p)` on
/// flat arrays of up to 256 elements at a time (vectorized: scalar double exp and log1p took a sixth of bench B1's
/// step), and summed in double.
template <class Terms>
double sum_of_vectorized_terms(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights, Terms terms) {
  constexpr Index kChunk = 256;
  std::array<Scalar, kChunk> buffer;
  const Index size = y_pred.size(), cols = y_pred.cols();
  double total = 0.0;
  for (Index first = 0; first < size; first += kChunk) {
    const Index count = std::min(kChunk, size - first);
    Eigen::Map<FlatArray> chunk(buffer.data(), count);
    chunk = terms(flat(y_true, first, count), flat(y_pred, first, count));
    for (Index k = 0; k < count; ++k)
      total += (weights.empty() ? 1.0 : sample_weight(weights, (first + k) / cols)) * static_cast<double>(chunk[k]);
  }
  return total / static_cast<double>(cols);
}

/// gradient_of_terms in Scalar precision: derivative(t, p) on the whole flat arrays, one vectorized pass.
template <class Derivative>
void vectorized_gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad, Derivative derivative) {
  grad.resize(y_pred.rows(), y_pred.cols());
  const auto scale = static_cast<Scalar>(1.0 / static_cast<double>(y_pred.size()));
  Eigen::Map<FlatArray>(grad.data(), grad.size()) =
      derivative(flat(y_true, 0, y_true.size()), flat(y_pred, 0, y_pred.size())) * scale;
}

}  // namespace descent::losses
