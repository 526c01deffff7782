// Label checks and conversion shared by Hinge and SquaredHinge.
#include "hinge_labels.hpp"

#include <descent/core/error.hpp>

namespace descent::losses {

bool labels_are_zero_one(const Matrix& y_true) {
  return (y_true.array() == Scalar(0) || y_true.array() == Scalar(1)).all();
}

void check_hinge_labels(const Matrix& y_true, const std::string& where, const std::string& loss) {
  if (labels_are_zero_one(y_true)) return;
  for (Index i = 0; i < y_true.rows(); ++i)
    for (Index j = 0; j < y_true.cols(); ++j)
      check(y_true(i, j) == Scalar(-1) || y_true(i, j) == Scalar(1), where, ": ", loss,
            " expects labels that are all -1 or 1, or all 0 or 1 (converted to -1 or 1 as Keras does); received ",
            y_true(i, j), " at row ", i, ", column ", j, ".");
}

}  // namespace descent::losses
