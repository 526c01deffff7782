// ELU: values and gradient for alpha 1 and another alpha, the config TF.js and Keras 2 write, errors.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <limits>

using namespace descent;
using nlohmann::json;
using testing::close;
using testing::row;

TEST_CASE("ELU: x above 0, alpha * (e^x - 1) below; gradient 1 above, alpha * e^x below") {
  Rng rng(0);
  nn::ELU layer;
  layer.build(Shape{3}, rng);
  const Matrix x = row({-1, 0, 2});  // kept by address until backward
  CHECK(close(layer.forward(x, true), row({-0.6321205588285577, 0, 2})));  // e^-1 - 1
  CHECK(close(layer.backward(row({1, 1, 1})), row({0.36787944117144233, 1, 1})));          // e^-1, e^0, 1

  nn::ELU half({.alpha = 0.5});
  half.build(Shape{2}, rng);
  // 0.5 * (e^-2 - 1) and 0.5 * e^-2 with e^-2 = 0.1353352832366127.
  const Matrix x2 = row({-2, 3});
  CHECK(close(half.forward(x2, true), row({-0.43233235838169365, 3})));
  CHECK(close(half.backward(row({2, 2})), row({0.1353352832366127, 2})));

  Matrix smooth(2, 3);
  smooth << -1.2, 0.4, -0.3, 2.2, -2.5, 0.6;
  CHECK(testing::check_layer_gradients(half, smooth.leftCols(2)) < testing::kTolerance);
  CHECK(testing::check_layer_gradients(layer, smooth) < testing::kTolerance);
}

TEST_CASE("ELU config carries alpha; round trip; errors") {
  nn::ELU layer({.alpha = 0.7, .name = "e"});
  const json written = nn::layer_to_json(layer);
  CHECK(written == json::parse(R"({"class_name": "ELU", "config": {"name": "e", "alpha": 0.7, "trainable": true,
                                   "dtype": "float32"}})"));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "w")) == written);
  // Keras 3 writes no alpha: the default.
  auto keras3 = nn::layer_from_json(json::parse(R"({"class_name": "ELU", "config": {"name": "elu"}})"), "k");
  CHECK(dynamic_cast<nn::ELU&>(*keras3).options().alpha == 1.0);
  CHECK_THROWS_WITH_AS(nn::ELU({.alpha = std::numeric_limits<double>::infinity()}),
                       "ELU: invalid alpha. Expected a finite number; received alpha=inf.", Error);
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "ELU", "config": {"alpha": [1]}})"), "x"),
                       doctest::Contains("x.config.alpha: expected a number"), Error);
}
