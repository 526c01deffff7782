// MinMaxScaler: per-column (x - min) / (max - min), mapped onto a feature range, as scikit-learn's.
#pragma once

#include <descent/core/tensor.hpp>

namespace descent::data {

/// Field order is API: only append.
struct MinMaxScalerOptions {
  double feature_min = 0.0;  ///< scikit-learn's feature_range=(0, 1)
  double feature_max = 1.0;
};

/// fit() learns each column's minimum and maximum; transform() maps them to feature_min and feature_max. A constant
/// column gets range 1, so it maps to feature_min rather than NaN. Values outside the fitted range map outside the
/// feature range (no clipping), as scikit-learn's default.
class MinMaxScaler {
 public:
  MinMaxScaler() = default;
  explicit MinMaxScaler(MinMaxScalerOptions options);

  MinMaxScaler& fit(const Matrix& x);
  Matrix transform(const Matrix& x) const;
  Matrix fit_transform(const Matrix& x) { return fit(x).transform(x); }
  Matrix inverse_transform(const Matrix& x) const;

  bool fitted() const { return data_min_.size() > 0; }
  const Eigen::RowVectorXd& data_min() const { return data_min_; }
  /// max - min per column (1 for a constant column).
  const Eigen::RowVectorXd& data_range() const { return data_range_; }
  const MinMaxScalerOptions& options() const { return options_; }
  /// Restores a saved scaler.
  void set(Eigen::RowVectorXd data_min, Eigen::RowVectorXd data_range);

 private:
  void check_input(const Matrix& x, const char* where) const;
  MinMaxScalerOptions options_;
  Eigen::RowVectorXd data_min_, data_range_;
};

}  // namespace descent::data
