// Column statistics in double; float data is standardized without losing digits to the sums.
#include "standard_scaler.hpp"

#include <descent/core/error.hpp>

#include <cmath>

namespace descent::data {

StandardScaler& StandardScaler::fit(const Matrix& x) {
  check(x.rows() > 0 && x.cols() > 0, "StandardScaler.fit: received an empty x (", x.rows(), " x ", x.cols(), ").");
  check(x.allFinite(), "StandardScaler.fit: x has a non-finite value.");
  Eigen::MatrixXd xd = x.cast<double>();
  mean_ = xd.colwise().mean();
  scale_ = ((xd.rowwise() - mean_).array().square().colwise().sum() / static_cast<double>(x.rows())).sqrt();
  for (Index j = 0; j < scale_.size(); ++j)
    if (scale_(j) == 0.0) scale_(j) = 1.0;
  return *this;
}

void StandardScaler::check_input(const Matrix& x, const char* where) const {
  check(fitted(), "StandardScaler.", where, ": call fit() first.");
  check(x.cols() == mean_.size(), "StandardScaler.", where, ": fitted on ", mean_.size(),
        " columns; received x with ", x.cols(), " columns.");
}

Matrix StandardScaler::transform(const Matrix& x) const {
  check_input(x, "transform");
  return ((x.cast<double>().rowwise() - mean_).array().rowwise() / scale_.array()).cast<Scalar>();
}

Matrix StandardScaler::inverse_transform(const Matrix& x) const {
  check_input(x, "inverse_transform");
  return ((x.cast<double>().array().rowwise() * scale_.array()).matrix().rowwise() + mean_).cast<Scalar>();
}

void StandardScaler::set(Eigen::RowVectorXd mean, Eigen::RowVectorXd scale) {
  check(mean.size() == scale.size() && mean.size() > 0, "StandardScaler.set: mean and scale must have the same ",
        "positive length; received ", mean.size(), " and ", scale.size(), ".");
  check((scale.array() > 0).all(), "StandardScaler.set: every scale must be positive.");
  mean_ = std::move(mean);
  scale_ = std::move(scale);
}

}  // namespace descent::data
