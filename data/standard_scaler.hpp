// StandardScaler: per-column (x - mean) / std, as scikit-learn's.
#pragma once

#include <descent/core/tensor.hpp>

namespace descent::data {

/// fit() learns each column's mean and population standard deviation; transform() applies them. A constant column
/// gets scale 1, so it maps to 0 rather than NaN.
class StandardScaler {
 public:
  StandardScaler& fit(const Matrix& x);
  Matrix transform(const Matrix& x) const;
  Matrix fit_transform(const Matrix& x) { return fit(x).transform(x); }
  Matrix inverse_transform(const Matrix& x) const;

  bool fitted() const { return mean_.size() > 0; }
  const Eigen::RowVectorXd& mean() const { return mean_; }
  const Eigen::RowVectorXd& scale() const { return scale_; }
  /// Restores a saved scaler.
  void set(Eigen::RowVectorXd mean, Eigen::RowVectorXd scale);

 private:
  void check_input(const Matrix& x, const char* where) const;
  Eigen::RowVectorXd mean_, scale_;
};

}  // namespace descent::data
