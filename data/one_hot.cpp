// one_hot: a zero matrix with one 1 per row.
#include "one_hot.hpp"

#include <descent/core/error.hpp>

#include <cmath>

namespace descent::data {

Matrix one_hot(const Matrix& labels, Index classes) {
  check(classes > 0, "one_hot: expected classes > 0; received classes=", classes, ".");
  check(labels.cols() == 1, "one_hot: expected one label column; received labels with ", labels.cols(), " columns.");
  Matrix out = Matrix::Zero(labels.rows(), classes);
  for (Index i = 0; i < labels.rows(); ++i) {
    const Scalar v = labels(i, 0);
    check(v >= 0 && v < static_cast<Scalar>(classes) && std::floor(v) == v, "one_hot: row ", i, " holds ", v,
          "; expected an integer class index in [0, ", classes, ").");
    out(i, static_cast<Index>(v)) = 1;
  }
  return out;
}

}  // namespace descent::data
