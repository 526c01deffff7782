// Constraints: Keras 3's projections, applied by the model after every optimizer step.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using nlohmann::json;

namespace {

// Kernel 2 x 2 with column norms 5 and 1 (3-4-5 triangle, unit column).
Matrix kernel() {
  Matrix w(2, 2);
  w << 3, 0, -4, 1;
  return w;
}

constexpr double kEps = 1e-7;  // Keras's backend epsilon in the denominator

}  // namespace

TEST_CASE("MaxNorm rescales only the columns whose norm exceeds max_value (axis 0: one norm per unit)") {
  Matrix w = kernel();
  nn::MaxNorm({.max_value = 2.0}).apply(w, {2, 2});
  // Column 0 had norm 5: scaled by 2 / (eps + 5). Column 1 had norm 1: scaled by 1 / (eps + 1).
  CHECK(double(w(0, 0)) == doctest::Approx(3 * 2 / (kEps + 5)));
  CHECK(double(w(1, 0)) == doctest::Approx(-4 * 2 / (kEps + 5)));
  CHECK(double(w(1, 1)) == doctest::Approx(1 / (kEps + 1)));

  Matrix rows = kernel();  // axis 1: one norm per row; row norms 3 and sqrt(17)
  nn::MaxNorm({.max_value = 2.0, .axis = {1}}).apply(rows, {2, 2});
  CHECK(double(rows(0, 0)) == doctest::Approx(3 * 2 / (kEps + 3)));
  CHECK(double(rows(1, 1)) == doctest::Approx(2 / (kEps + std::sqrt(17.0))));

  Matrix bias(1, 2);  // a bias is a Keras vector: axis 0 is all of it; norm 5
  bias << 3, 4;
  nn::MaxNorm({.max_value = 1.0}).apply(bias, {2});
  CHECK(double(bias(0, 1)) == doctest::Approx(4 / (kEps + 5)));
}

TEST_CASE("NonNeg, UnitNorm and MinMaxNorm follow Keras's formulas") {
  Matrix w = kernel();
  nn::NonNeg().apply(w, {2, 2});
  CHECK(w(1, 0) == 0);
  CHECK(w(0, 0) == 3);

  Matrix u = kernel();
  nn::UnitNorm().apply(u, {2, 2});
  CHECK(double(u(0, 0)) == doctest::Approx(3 / (kEps + 5)));
  CHECK(double(u(1, 1)) == doctest::Approx(1 / (kEps + 1)));

  Matrix m = kernel();  // norms 5 and 1; clip to [2, 3]: 3 and 2; rate 0.5 blends with the old norm
  nn::MinMaxNorm({.min_value = 2, .max_value = 3, .rate = 0.5}).apply(m, {2, 2});
  CHECK(double(m(0, 0)) == doctest::Approx(3 * (0.5 * 3 + 0.5 * 5) / (kEps + 5)));
  CHECK(double(m(1, 1)) == doctest::Approx(1 * (0.5 * 2 + 0.5 * 1) / (kEps + 1)));
}

TEST_CASE("constraints hold after every training step") {
  Rng rng(4);
  Matrix x(64, 3), y(64, 2);
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<Scalar>(4 * uniform01(rng) - 2);
  for (Index i = 0; i < y.size(); ++i) y.data()[i] = static_cast<Scalar>(10 * uniform01(rng) - 5);
  nn::Sequential model({.seed = 6});
  model.add(nn::Input(3));
  model.add(nn::Dense(2, {.kernel_constraint = nn::MaxNorm({.max_value = 0.5}), .bias_constraint = "non_neg"}));
  model.compile("mse", optim::SGD({.learning_rate = 0.5}));
  model.fit(x, y, {.epochs = 3, .batch_size = 8, .verbose = 0});
  const auto w = model.get_weights();
  for (Index j = 0; j < 2; ++j) CHECK(w[0].col(j).norm() <= 0.5 + 1e-5);
  CHECK(w[1].minCoeff() >= 0);
  // Unconstrained, the large targets would pull the kernel far beyond norm 0.5.
  nn::Sequential free({.seed = 6});
  free.add(nn::Input(3));
  free.add(nn::Dense(2));
  free.compile("mse", optim::SGD({.learning_rate = 0.5}));
  free.fit(x, y, {.epochs = 3, .batch_size = 8, .verbose = 0});
  CHECK(free.get_weights()[0].colwise().norm().maxCoeff() > 0.5);
}

TEST_CASE("constraints read and write Keras configs; bad ones are errors naming the place") {
  auto c = nn::constraint_from_json(
      json::parse(R"({"class_name": "MinMaxNorm", "config": {"min_value": 0.5, "max_value": 2, "rate": 1, "axis": [0, 1]}})"),
      "c");
  CHECK(serialize(*c)["config"]["axis"] == json::parse("[0, 1]"));
  Matrix w = kernel();  // axis [0, 1]: one norm for the whole kernel, sqrt(26) -> clipped to 2
  c->apply(w, {2, 2});
  CHECK(double(w.norm()) == doctest::Approx(2 * std::sqrt(26.0) / (kEps + std::sqrt(26.0))));
  CHECK(nn::get_constraint("unit_norm")->class_name() == "UnitNorm");
  CHECK_THROWS_WITH_AS(nn::get_constraint("positive"), doctest::Contains("unknown constraint \"positive\""), Error);
  CHECK_THROWS_WITH_AS(nn::MaxNorm({.max_value = -1}), doctest::Contains("expected max_value >= 0"), Error);
  CHECK_THROWS_WITH_AS(nn::MinMaxNorm({.min_value = 3, .max_value = 1}),
                       doctest::Contains("expected 0 <= min_value <= max_value"), Error);
  CHECK_THROWS_WITH_AS(nn::constraint_from_json(json::parse(R"({"class_name": "MaxNorm", "config": {"axis": "x"}})"), "c"),
                       doctest::Contains("c.config.axis: expected an integer or a list"), Error);
  // As in Keras, the axes are checked against the weight they constrain.
  auto third = nn::constraint_from_json(json::parse(R"({"class_name": "UnitNorm", "config": {"axis": 3}})"), "c");
  Matrix k = kernel();
  CHECK_THROWS_WITH_AS(third->apply(k, {2, 2}),
                       doctest::Contains("UnitNorm: axis=3 is not an axis of a weight of shape (2, 2)"), Error);
}

TEST_CASE("constraints on weights of rank 3 and more reduce over the named axes of the full shape") {
  // A weight of shape (2, 1, 2), stored as Param stores it: rows (a, b) flattened, columns c, so w(a, c) = w[a, 0, c].
  Matrix w = kernel();  // [[3, 0], [-4, 1]]
  nn::UnitNorm({.axis = {1}}).apply(w, {2, 1, 2});  // axis 1 has one element: each entry over its own norm
  CHECK(double(w(0, 0)) == doctest::Approx(3 / (kEps + 3)));
  CHECK(double(w(1, 0)) == doctest::Approx(-4 / (kEps + 4)));
  CHECK(double(w(1, 1)) == doctest::Approx(1 / (kEps + 1)));
  CHECK(w(0, 1) == 0);

  Matrix per_c = kernel();  // axis 0 only: one norm per (b, c), here per column: 5 and 1
  nn::UnitNorm({.axis = {0}}).apply(per_c, {2, 1, 2});
  CHECK(double(per_c(0, 0)) == doctest::Approx(3 / (kEps + 5)));
  CHECK(double(per_c(1, 1)) == doctest::Approx(1 / (kEps + 1)));

  // A Conv2D-like kernel (kh, kw, in, out) = (1, 2, 1, 2) with axis [0, 1, 2]: one norm per output filter (column).
  Matrix conv = kernel();
  nn::MaxNorm({.max_value = 2.0, .axis = {0, 1, 2}}).apply(conv, {1, 2, 1, 2});
  CHECK(double(conv(0, 0)) == doctest::Approx(3 * 2 / (kEps + 5)));
  CHECK(double(conv(1, 1)) == doctest::Approx(1 / (kEps + 1)));
}
