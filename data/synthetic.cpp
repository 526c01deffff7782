// The synthetic sets: each builds its points in class order, then shuffles rows with the same seeded generator.
#include "synthetic.hpp"

#include <descent/core/error.hpp>
#include <descent/core/random.hpp>

#include <cmath>
#include <numbers>
#include <numeric>
#include <vector>

namespace descent::data {
namespace {

void check_common(const char* where, Index samples, double noise) {
  check(samples > 0, where, ": expected samples > 0; received samples=", samples, ".");
  check(noise >= 0 && std::isfinite(noise), where, ": expected noise >= 0; received noise=", noise, ".");
}

// Adds N(0, noise^2) to every coordinate, then shuffles the rows of x and y together.
Dataset finish(Matrix x, Matrix y, double noise, Rng& rng) {
  if (noise > 0)
    for (Index i = 0; i < x.rows(); ++i)
      for (Index j = 0; j < x.cols(); ++j) x(i, j) += static_cast<Scalar>(noise * standard_normal(rng));
  std::vector<Index> order(static_cast<std::size_t>(x.rows()));
  std::iota(order.begin(), order.end(), Index{0});
  shuffle(order, rng);
  Dataset out{Matrix(x.rows(), x.cols()), Matrix(y.rows(), 1)};
  for (std::size_t i = 0; i < order.size(); ++i) {
    out.x.row(static_cast<Index>(i)) = x.row(order[i]);
    out.y(static_cast<Index>(i), 0) = y(order[i], 0);
  }
  return out;
}

// n evenly spaced values from a to b; with `endpoint` false b is left out, as numpy.linspace.
double spaced(Index i, Index n, double a, double b, bool endpoint) {
  const Index steps = endpoint ? n - 1 : n;
  return steps <= 0 ? a : a + (b - a) * static_cast<double>(i) / static_cast<double>(steps);
}

}  // namespace

Dataset make_xor(XorOptions o) {
  check_common("make_xor", o.samples, o.noise);
  Rng rng(o.seed);
  Matrix x(o.samples, 2), y(o.samples, 1);
  for (Index i = 0; i < o.samples; ++i) {
    const double a = 2 * uniform01(rng) - 1, b = 2 * uniform01(rng) - 1;
    x(i, 0) = static_cast<Scalar>(a);
    x(i, 1) = static_cast<Scalar>(b);
    y(i, 0) = (a > 0) != (b > 0) ? 1 : 0;
  }
  return finish(std::move(x), std::move(y), o.noise, rng);
}

Dataset make_moons(MoonsOptions o) {
  check_common("make_moons", o.samples, o.noise);
  const Index outer = o.samples / 2, inner = o.samples - outer;
  Matrix x(o.samples, 2), y(o.samples, 1);
  for (Index i = 0; i < outer; ++i) {
    const double t = spaced(i, outer, 0, std::numbers::pi, true);
    x.row(i) << static_cast<Scalar>(std::cos(t)), static_cast<Scalar>(std::sin(t));
    y(i, 0) = 0;
  }
  for (Index i = 0; i < inner; ++i) {
    const double t = spaced(i, inner, 0, std::numbers::pi, true);
    x.row(outer + i) << static_cast<Scalar>(1 - std::cos(t)), static_cast<Scalar>(0.5 - std::sin(t));
    y(outer + i, 0) = 1;
  }
  Rng rng(o.seed);
  return finish(std::move(x), std::move(y), o.noise, rng);
}

Dataset make_circles(CirclesOptions o) {
  check_common("make_circles", o.samples, o.noise);
  check(o.factor > 0 && o.factor < 1, "make_circles: expected factor in (0, 1); received factor=", o.factor, ".");
  const Index outer = o.samples / 2, inner = o.samples - outer;
  Matrix x(o.samples, 2), y(o.samples, 1);
  for (Index i = 0; i < o.samples; ++i) {
    const bool is_outer = i < outer;
    const Index k = is_outer ? i : i - outer;
    const double t = spaced(k, is_outer ? outer : inner, 0, 2 * std::numbers::pi, false);
    const double r = is_outer ? 1.0 : o.factor;
    x.row(i) << static_cast<Scalar>(r * std::cos(t)), static_cast<Scalar>(r * std::sin(t));
    y(i, 0) = is_outer ? 0 : 1;
  }
  Rng rng(o.seed);
  return finish(std::move(x), std::move(y), o.noise, rng);
}

Dataset make_blobs(BlobsOptions o) {
  check_common("make_blobs", o.samples, 0.0);
  check(o.centers > 0, "make_blobs: expected centers > 0; received centers=", o.centers, ".");
  check(o.features > 0, "make_blobs: expected features > 0; received features=", o.features, ".");
  check(o.cluster_std >= 0 && std::isfinite(o.cluster_std), "make_blobs: expected cluster_std >= 0; received ",
        "cluster_std=", o.cluster_std, ".");
  Rng rng(o.seed);
  Eigen::MatrixXd centers(o.centers, o.features);
  for (Index c = 0; c < o.centers; ++c)
    for (Index j = 0; j < o.features; ++j) centers(c, j) = 20 * uniform01(rng) - 10;
  Matrix x(o.samples, o.features), y(o.samples, 1);
  Index row = 0;
  for (Index c = 0; c < o.centers; ++c) {
    const Index count = o.samples / o.centers + (c < o.samples % o.centers ? 1 : 0);
    for (Index i = 0; i < count; ++i, ++row) {
      for (Index j = 0; j < o.features; ++j)
        x(row, j) = static_cast<Scalar>(centers(c, j) + o.cluster_std * standard_normal(rng));
      y(row, 0) = static_cast<Scalar>(c);
    }
  }
  return finish(std::move(x), std::move(y), 0.0, rng);
}

Dataset make_spirals(SpiralsOptions o) {
  check_common("make_spirals", o.samples, o.noise);
  check(o.classes > 0, "make_spirals: expected classes > 0; received classes=", o.classes, ".");
  Rng rng(o.seed);
  Matrix x(o.samples, 2), y(o.samples, 1);
  Index row = 0;
  for (Index k = 0; k < o.classes; ++k) {
    const Index count = o.samples / o.classes + (k < o.samples % o.classes ? 1 : 0);
    for (Index i = 0; i < count; ++i, ++row) {
      const double r = spaced(i, count, 0, 1, true);
      const double angle = 4.0 * static_cast<double>(k) + 4.0 * r + o.noise * standard_normal(rng);
      x.row(row) << static_cast<Scalar>(r * std::sin(angle)), static_cast<Scalar>(r * std::cos(angle));
      y(row, 0) = static_cast<Scalar>(k);
    }
  }
  return finish(std::move(x), std::move(y), 0.0, rng);
}

}  // namespace descent::data
