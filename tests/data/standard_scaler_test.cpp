// StandardScaler: column mean 0 and population std 1, constant columns, the inverse, and shape errors.
#include <doctest/doctest.h>

#include <cmath>
#include <descent/descent.hpp>
#include <limits>

using namespace descent;

TEST_CASE("fit learns each column's mean and population standard deviation") {
  Matrix x(5, 2);
  x << 1, 10, 2, 10, 3, 40, 4, 10, 5, 30;
  data::StandardScaler scaler;
  scaler.fit(x);
  REQUIRE(scaler.fitted());
  // Column 0: mean 3, population variance (4+1+0+1+4)/5 = 2. Column 1: mean 20, variance (100*3+400+100)/5 = 160.
  CHECK(scaler.mean()(0) == doctest::Approx(3));
  CHECK(scaler.mean()(1) == doctest::Approx(20));
  CHECK(scaler.scale()(0) == doctest::Approx(std::sqrt(2.0)));
  CHECK(scaler.scale()(1) == doctest::Approx(std::sqrt(160.0)));

  Matrix z = scaler.transform(x);
  CHECK(z(0, 0) == doctest::Approx(-2 / std::sqrt(2.0)));
  CHECK(z(2, 1) == doctest::Approx(20 / std::sqrt(160.0)));
}

TEST_CASE("after transform every column has mean 0 and population std 1; a constant column maps to 0") {
  Rng rng(4);
  Matrix x(200, 4);
  for (Index i = 0; i < x.rows(); ++i) {
    x(i, 0) = static_cast<Scalar>(1000 + 50 * standard_normal(rng));
    x(i, 1) = static_cast<Scalar>(0.001 * uniform01(rng));
    x(i, 2) = 7.5;  // constant
    x(i, 3) = static_cast<Scalar>(i % 2);
  }
  data::StandardScaler scaler;
  Matrix z = scaler.fit_transform(x);
  for (Index j : {0, 1, 3}) {
    CAPTURE(j);
    Eigen::VectorXd c = z.col(j).cast<double>();
    double mean = c.mean();
    double std = std::sqrt((c.array() - mean).square().mean());
    CHECK(std::abs(mean) < 1e-5);
    CHECK(std == doctest::Approx(1).epsilon(1e-5));
  }
  CHECK(scaler.scale()(2) == 1.0);
  CHECK(z.col(2).isZero());
  CHECK(z.allFinite());
}

TEST_CASE("inverse_transform undoes transform") {
  Matrix x(3, 3);
  x << 1.5, -200, 3, 2.5, 100, 3, -4, 0.25, 3;
  data::StandardScaler scaler;
  scaler.fit(x);
  Matrix back = scaler.inverse_transform(scaler.transform(x));
  for (Index i = 0; i < x.size(); ++i) CHECK(back.data()[i] == doctest::Approx(x.data()[i]).epsilon(1e-5));

  // New data uses the fitted statistics, not its own.
  Matrix one(1, 3);
  one << 0, 0, 3;
  Matrix z = scaler.transform(one);
  CHECK(z(0, 0) == doctest::Approx((0 - scaler.mean()(0)) / scaler.scale()(0)));
  CHECK(z(0, 2) == 0);
}

TEST_CASE("StandardScaler errors") {
  data::StandardScaler scaler;
  CHECK_THROWS_WITH_AS(scaler.transform(Matrix::Ones(2, 2)), doctest::Contains("StandardScaler.transform: call fit()"),
                       Error);
  scaler.fit(Matrix::Ones(4, 3));
  CHECK_THROWS_WITH_AS(scaler.transform(Matrix::Ones(2, 2)),
                       doctest::Contains("fitted on 3 columns; received x with 2 columns"), Error);
  CHECK_THROWS_WITH_AS(scaler.inverse_transform(Matrix::Ones(2, 4)),
                       doctest::Contains("StandardScaler.inverse_transform: fitted on 3 columns; received x with 4"),
                       Error);
  CHECK_THROWS_WITH_AS(scaler.fit(Matrix(0, 3)), doctest::Contains("empty x"), Error);
  Matrix bad = Matrix::Ones(2, 2);
  bad(1, 0) = std::numeric_limits<Scalar>::quiet_NaN();
  CHECK_THROWS_WITH_AS(scaler.fit(bad), doctest::Contains("non-finite"), Error);
}
