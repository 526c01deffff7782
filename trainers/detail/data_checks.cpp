// Checks on the arrays fit, evaluate and predict receive.
#include "data_checks.hpp"

#include <descent/core/detail/parallel.hpp>
#include <descent/core/error.hpp>

#include <atomic>
#include <cmath>

namespace descent::nn::detail {

void check_finite(const Matrix& m, Index first_row, const std::string& where, const char* what) {
  // x - x is 0 for finite x and NaN otherwise; a plain sum vectorizes where Eigen's allFinite() does not (it ran
  // at a tenth of memory speed, a fifth of predict's time on bench B5).
  if (!std::isnan((m.array() - m.array()).sum())) return;
  for (Index i = 0; i < m.rows(); ++i)
    for (Index j = 0; j < m.cols(); ++j)
      check(std::isfinite(m(i, j)), where, ": ", what, " has a non-finite value (", static_cast<double>(m(i, j)),
            ") at row ", first_row + i, ", column ", j, ".");
}

void copy_rows_checked(const Matrix& x, Index first, Index count, Matrix& to, const char* where) {
  if (to.rows() != count || to.cols() != x.cols()) to.resize(count, x.cols());
  std::atomic<bool> finite = true;
  descent::detail::for_row_blocks(count, x.cols(), [&](Index block_first, Index block_count) {
    auto block = to.middleRows(block_first, block_count);
    block = x.middleRows(first + block_first, block_count);
    if (std::isnan((block.array() - block.array()).sum())) finite = false;
  });
  if (!finite) check_finite(to, first, where, "x");
}

void check_sample_weight(const Vector& weights, Index rows, const std::string& where) {
  if (weights.size() == 0) return;
  check(weights.size() == rows, where, ": expected one weight per sample (", rows, "); received ", weights.size(),
        " weights.");
  for (Index i = 0; i < weights.size(); ++i)
    check(std::isfinite(weights(i)) && weights(i) >= 0, where, ": expected finite, non-negative weights; received ",
          weights(i), " at row ", i, ".");
}

Vector fit_weights(const Matrix& y, const FitOptions& options, const std::string& where) {
  check(options.class_weight.empty() || options.sample_weight.size() == 0, where,
        ": class_weight and sample_weight cannot be given together (as in Keras); multiply them into sample_weight.");
  check_sample_weight(options.sample_weight, y.rows(), where + ": sample_weight");
  if (options.class_weight.empty()) return options.sample_weight;
  for (const auto& [label, w] : options.class_weight)
    check(label >= 0 && std::isfinite(w) && w >= 0, where,
          ": class_weight expects class indices >= 0 and finite, non-negative weights; received ", label, ": ", w,
          ".");
  Vector weights(y.rows());
  for (Index i = 0; i < y.rows(); ++i) {
    Index label = 0;
    if (y.cols() > 1)
      y.row(i).maxCoeff(&label);
    else
      label = static_cast<Index>(std::lround(y(i, 0)));
    auto found = options.class_weight.find(static_cast<int>(label));
    weights(i) = static_cast<Scalar>(found == options.class_weight.end() ? 1.0 : found->second);
  }
  return weights;
}

}  // namespace descent::nn::detail
