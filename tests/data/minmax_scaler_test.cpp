// MinMaxScaler: hand-computed ranges, a constant column, a custom feature range, and the inverse.
#include <doctest/doctest.h>

#include <descent/data/minmax_scaler.hpp>
#include <descent/core/error.hpp>

using namespace descent;

TEST_CASE("columns map from [min, max] to [0, 1]; a constant column maps to 0") {
  Matrix x(3, 2);
  x << 1, 5, 3, 5, 2, 5;
  data::MinMaxScaler s;
  const Matrix t = s.fit_transform(x);
  CHECK(s.data_min()(0) == 1);
  CHECK(s.data_range()(0) == 2);
  CHECK(s.data_range()(1) == 1);  // constant: range 1, not 0
  CHECK(t(0, 0) == 0);
  CHECK(t(1, 0) == 1);
  CHECK(t(2, 0) == doctest::Approx(0.5));
  CHECK(t.col(1).isZero());
  // New data outside the fitted range is not clipped: 5 -> (5 - 1) / 2 = 2.
  Matrix beyond(1, 2);
  beyond << 5, 5;
  CHECK(s.transform(beyond)(0, 0) == doctest::Approx(2));
}

TEST_CASE("a feature range of (-1, 1), and inverse_transform undoing transform") {
  Matrix x(2, 1);
  x << 10, 30;
  data::MinMaxScaler s({.feature_min = -1, .feature_max = 1});
  const Matrix t = s.fit_transform(x);
  CHECK(t(0, 0) == -1);
  CHECK(t(1, 0) == 1);
  Matrix mid(1, 1);
  mid << 20;
  CHECK(s.transform(mid)(0, 0) == doctest::Approx(0));
  CHECK(s.inverse_transform(t).isApprox(x));
}

TEST_CASE("misuse is an error") {
  data::MinMaxScaler s;
  CHECK_THROWS_WITH_AS(s.transform(Matrix::Zero(1, 2)), doctest::Contains("call fit() first"), Error);
  s.fit(Matrix::Ones(2, 2));
  CHECK_THROWS_WITH_AS(s.transform(Matrix::Zero(1, 3)), doctest::Contains("fitted on 2 columns"), Error);
  CHECK_THROWS_AS(data::MinMaxScaler({.feature_min = 1, .feature_max = 1}), Error);
  CHECK_THROWS_AS(s.set(Eigen::RowVectorXd::Zero(2), Eigen::RowVectorXd::Zero(2)), Error);
}
