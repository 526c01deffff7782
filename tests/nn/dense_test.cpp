// Dense: forward on hand-set weights, gradient checks, errors.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

using namespace descent;

TEST_CASE("Dense forward computes x W + b with the (in, units) kernel") {
  nn::Dense dense(2, {.activation = "linear"});
  Rng rng(0);
  dense.build(3, rng);
  dense.kernel().value << 1, 2, 3, 4, 5, 6;  // rows = inputs
  dense.bias().value << 0.5, -1;
  Matrix x(1, 3);
  x << 1, 1, 2;
  const Matrix& y = dense.forward(x, false);
  CHECK(y(0, 0) == doctest::Approx(1 + 3 + 10 + 0.5));
  CHECK(y(0, 1) == doctest::Approx(2 + 4 + 12 - 1));
}
