// LeakyReLU: values, the gradient (the slope at 0, as TensorFlow), the Keras 3 and Keras 2 / TF.js keys, errors.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace descent;
using nlohmann::json;
using testing::close;
using testing::row;

TEST_CASE("LeakyReLU: x for x >= 0, negative_slope * x below, 0.3 by default") {
  Rng rng(0);
  nn::LeakyReLU layer;
  layer.build(Shape{4}, rng);
  const Matrix x = row({-2, -0.5, 0, 1.5});
  CHECK(close(layer.forward(x, true), row({-0.6, -0.15, 0, 1.5})));
  CHECK(close(layer.backward(row({1, 2, 3, 4})), row({0.3, 0.6, 0.9, 4})));
  // Keras's docstring: LeakyReLU(negative_slope=0.5) on [-10, -5, 0, 5, 10].
  nn::LeakyReLU half({.negative_slope = 0.5});
  half.build(Shape{5}, rng);
  CHECK(close(half.forward(row({-10, -5, 0, 5, 10}), false), row({-5, -2.5, 0, 5, 10})));

  Matrix smooth(2, 4);
  smooth << -1.2, 0.4, -0.3, 2.2, 0.9, -2.5, 1.7, -0.6;
  CHECK(testing::check_layer_gradients(layer, smooth) < testing::kTolerance);
}

TEST_CASE("LeakyReLU config: negative_slope written, alpha (Keras 2, TF.js) read") {
  nn::LeakyReLU layer({.negative_slope = 0.1, .name = "leaky"});
  const json written = nn::layer_to_json(layer);
  CHECK(written == json::parse(R"({"class_name": "LeakyReLU", "config": {"name": "leaky", "negative_slope": 0.1,
                                   "trainable": true, "dtype": "float32"}})"));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "w")) == written);
  auto tfjs = nn::layer_from_json(
      json::parse(R"({"class_name": "LeakyReLU", "config": {"alpha": 0.2, "name": "l", "trainable": true}})"), "t");
  CHECK(dynamic_cast<nn::LeakyReLU&>(*tfjs).options().negative_slope == 0.2);
  CHECK(nn::layer_to_json(*tfjs)["config"]["negative_slope"] == 0.2);
  auto defaults = nn::layer_from_json(json::parse(R"({"class_name": "LeakyReLU", "config": {}})"), "d");
  CHECK(dynamic_cast<nn::LeakyReLU&>(*defaults).options().negative_slope == 0.3);
}

TEST_CASE("LeakyReLU errors") {
  CHECK_THROWS_WITH_AS(nn::LeakyReLU({.negative_slope = -0.5}),
                       "LeakyReLU: invalid negative_slope. Expected a number >= 0; received negative_slope=-0.5.",
                       Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "LeakyReLU", "config": {"alpha": 0.2, "negative_slope": 0.2}})"),
                          "x"),
      doctest::Contains("x.config.alpha: expected negative_slope (Keras 3) or alpha (Keras 2, TF.js), not both"),
      Error);
  nn::LeakyReLU layer({.name = "l"});
  Rng rng(0);
  layer.build(Shape{2, 2}, rng);
  CHECK_THROWS_WITH_AS(layer.forward(Matrix::Ones(1, 3), false),
                       doctest::Contains("LeakyReLU 'l': expected input with 4 columns; received x with 3 columns "
                                         "(x is 1 x 3; samples of shape (2, 2))"),
                       Error);
}
