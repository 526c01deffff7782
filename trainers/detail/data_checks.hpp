// The checks fit, evaluate and predict make on the arrays they are given: finite values, sample and class weights.
#pragma once

#include <descent/core/tensor.hpp>
#include <descent/trainers/options.hpp>

#include <string>

namespace descent::nn::detail {

/// Fails naming the first NaN or infinity in `m` by its row in the caller's data (`first_row` + its row here).
void check_finite(const Matrix& m, Index first_row, const std::string& where, const char* what);
/// to = rows [first, first + count) of x, each row checked while it is in cache (one sweep over x, not two), in row
/// blocks shared among the threads when large; fails as check_finite does.
void copy_rows_checked(const Matrix& x, Index first, Index count, Matrix& to, const char* where);
/// Keras's sample weights: empty, or one finite, non-negative weight per row.
void check_sample_weight(const Vector& weights, Index rows, const std::string& where);
/// The weight of each row of y for fit: sample_weight, or class_weight looked up by each row's class (the argmax of
/// a one-hot row, else the rounded label), as Keras's class_weight_to_sample_weights; empty when neither is given.
Vector fit_weights(const Matrix& y, const FitOptions& options, const std::string& where);

}  // namespace descent::nn::detail
