// Column minima and ranges in double, as StandardScaler keeps its statistics.
#include "minmax_scaler.hpp"

#include <descent/core/error.hpp>

namespace descent::data {

MinMaxScaler::MinMaxScaler(MinMaxScalerOptions options) : options_(options) {
  check(options.feature_min < options.feature_max, "MinMaxScaler: expected feature_min < feature_max; received ",
        "feature_min=", options.feature_min, ", feature_max=", options.feature_max, ".");
}

MinMaxScaler& MinMaxScaler::fit(const Matrix& x) {
  check(x.rows() > 0 && x.cols() > 0, "MinMaxScaler.fit: received an empty x (", x.rows(), " x ", x.cols(), ").");
  check(x.allFinite(), "MinMaxScaler.fit: x has a non-finite value.");
  Eigen::MatrixXd xd = x.cast<double>();
  data_min_ = xd.colwise().minCoeff();
  data_range_ = xd.colwise().maxCoeff() - data_min_;
  for (Index j = 0; j < data_range_.size(); ++j)
    if (data_range_(j) == 0.0) data_range_(j) = 1.0;
  return *this;
}

void MinMaxScaler::check_input(const Matrix& x, const char* where) const {
  check(fitted(), "MinMaxScaler.", where, ": call fit() first.");
  check(x.cols() == data_min_.size(), "MinMaxScaler.", where, ": fitted on ", data_min_.size(),
        " columns; received x with ", x.cols(), " columns.");
}

Matrix MinMaxScaler::transform(const Matrix& x) const {
  check_input(x, "transform");
  const double width = options_.feature_max - options_.feature_min;
  Eigen::ArrayXXd unit = (x.cast<double>().rowwise() - data_min_).array().rowwise() / data_range_.array();
  return (unit * width + options_.feature_min).cast<Scalar>().matrix();
}

Matrix MinMaxScaler::inverse_transform(const Matrix& x) const {
  check_input(x, "inverse_transform");
  const double width = options_.feature_max - options_.feature_min;
  Eigen::ArrayXXd unit = (x.cast<double>().array() - options_.feature_min) / width;
  return ((unit.rowwise() * data_range_.array()).matrix().rowwise() + data_min_).cast<Scalar>();
}

void MinMaxScaler::set(Eigen::RowVectorXd data_min, Eigen::RowVectorXd data_range) {
  check(data_min.size() == data_range.size() && data_min.size() > 0, "MinMaxScaler.set: data_min and data_range ",
        "must have the same positive length; received ", data_min.size(), " and ", data_range.size(), ".");
  check((data_range.array() > 0).all() && data_min.allFinite() && data_range.allFinite(),
        "MinMaxScaler.set: every range must be positive and finite.");
  data_min_ = std::move(data_min);
  data_range_ = std::move(data_range);
}

}  // namespace descent::data
