// Synthetic sets: without noise every point lies exactly on its class's curve; the seed fixes everything.
#include <doctest/doctest.h>

#include <descent/data/synthetic.hpp>
#include <descent/core/error.hpp>

#include <cmath>
#include <numbers>

using namespace descent;

namespace {
Index count(const Matrix& y, Scalar label) { return (y.array() == label).count(); }
}  // namespace

TEST_CASE("moons: class 0 on the upper unit half circle, class 1 on the shifted lower one") {
  const Dataset d = data::make_moons({.samples = 101});
  CHECK(d.x.rows() == 101);
  CHECK(count(d.y, 0) == 50);
  CHECK(count(d.y, 1) == 51);
  for (Index i = 0; i < d.x.rows(); ++i) {
    const double a = d.x(i, 0), b = d.x(i, 1);
    if (d.y(i, 0) == 0) {
      CHECK(a * a + b * b == doctest::Approx(1).epsilon(1e-5));
      CHECK(b >= -1e-6);
    } else {
      CHECK((1 - a) * (1 - a) + (0.5 - b) * (0.5 - b) == doctest::Approx(1).epsilon(1e-5));
      CHECK(b <= 0.5 + 1e-6);
    }
  }
}

TEST_CASE("circles: radius 1 for class 0, radius factor for class 1") {
  const Dataset d = data::make_circles({.samples = 40, .factor = 0.5});
  CHECK(count(d.y, 0) == 20);
  for (Index i = 0; i < d.x.rows(); ++i)
    CHECK(d.x.row(i).norm() == doctest::Approx(d.y(i, 0) == 0 ? 1.0 : 0.5).epsilon(1e-5));
  CHECK_THROWS_AS(data::make_circles({.factor = 1.0}), Error);
}

TEST_CASE("xor: class 1 exactly where the coordinates have opposite signs") {
  const Dataset d = data::make_xor({.samples = 400});
  for (Index i = 0; i < d.x.rows(); ++i) CHECK(d.y(i, 0) == (d.x(i, 0) * d.x(i, 1) < 0 ? 1 : 0));
  // Uniform points: each class near half (binomial sd = 10 for 400 draws).
  CHECK(std::abs(count(d.y, 1) - 200) < 60);
  CHECK((d.x.array().abs() <= 1).all());
}

TEST_CASE("blobs: without spread every sample sits on its center, centers in [-10, 10]") {
  const Dataset d = data::make_blobs({.samples = 10, .centers = 3, .features = 4, .cluster_std = 0.0});
  CHECK(d.x.cols() == 4);
  CHECK(count(d.y, 0) == 4);  // 10 = 4 + 3 + 3
  CHECK(count(d.y, 2) == 3);
  for (Index i = 0; i < d.x.rows(); ++i)
    for (Index j = 0; j < d.x.rows(); ++j)
      if (d.y(i, 0) == d.y(j, 0)) CHECK(d.x.row(i) == d.x.row(j));
  CHECK((d.x.array().abs() <= 10).all());
}

TEST_CASE("spirals: radius r and angle 4k + 4r for arm k") {
  const Dataset d = data::make_spirals({.samples = 30, .classes = 3, .noise = 0.0});
  for (Index i = 0; i < d.x.rows(); ++i) {
    const double r = d.x.row(i).norm();
    if (r < 1e-6) continue;
    const double expected = 4.0 * d.y(i, 0) + 4.0 * r;
    const double angle = std::atan2(d.x(i, 0), d.x(i, 1));  // x = r sin, y = r cos
    CHECK(std::remainder(angle - expected, 2 * std::numbers::pi) == doctest::Approx(0).epsilon(1e-4).scale(1));
  }
}

TEST_CASE("the seed fixes the numbers; another seed changes them") {
  const Dataset a = data::make_moons({.samples = 50, .noise = 0.1, .seed = 3});
  const Dataset b = data::make_moons({.samples = 50, .noise = 0.1, .seed = 3});
  const Dataset c = data::make_moons({.samples = 50, .noise = 0.1, .seed = 4});
  CHECK(a.x == b.x);
  CHECK(a.y == b.y);
  CHECK(a.x != c.x);
  CHECK_THROWS_AS(data::make_moons({.samples = 0}), Error);
  CHECK_THROWS_AS(data::make_xor({.noise = -1}), Error);
}
