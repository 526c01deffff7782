// one_hot: one 1 per row at the label's index; anything else is an error.
#include <doctest/doctest.h>

#include <descent/data/one_hot.hpp>
#include <descent/core/error.hpp>

using namespace descent;

TEST_CASE("class indices become one-hot rows") {
  Matrix labels(3, 1);
  labels << 2, 0, 1;
  Matrix expected(3, 3);
  expected << 0, 0, 1, 1, 0, 0, 0, 1, 0;
  CHECK(data::one_hot(labels, 3) == expected);
}

TEST_CASE("labels outside [0, classes) or not integers are errors") {
  Matrix labels(1, 1);
  labels << 3;
  CHECK_THROWS_WITH_AS(data::one_hot(labels, 3), doctest::Contains("expected an integer class index in [0, 3)"),
                       Error);
  labels << 1.5;
  CHECK_THROWS_AS(data::one_hot(labels, 3), Error);
  CHECK_THROWS_AS(data::one_hot(Matrix::Zero(2, 2), 3), Error);
  CHECK_THROWS_AS(data::one_hot(Matrix::Zero(2, 1), 0), Error);
}
