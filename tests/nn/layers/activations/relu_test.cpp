// ReLU: Keras's documented values, the threshold / cap / slope combinations as Keras's code computes them,
// gradients, the config and the option errors.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace descent;
using nlohmann::json;
using testing::close;
using testing::row;

namespace {

Matrix relu(nn::ReLUOptions options, const Matrix& x) {
  nn::ReLU layer(options);
  Rng rng(0);
  layer.build(Shape{x.cols()}, rng);
  return layer.forward(x, false);
}

}  // namespace

TEST_CASE("ReLU gives the values of Keras's docstrings") {
  const Matrix x = row({-10, -5, 0, 5, 10});
  CHECK(close(relu({}, x), row({0, 0, 0, 5, 10})));
  // keras.layers.ReLU(max_value=10, negative_slope=0.5, threshold=0)
  CHECK(close(relu({.max_value = 10, .negative_slope = 0.5}, x), row({-5, -2.5, 0, 5, 10})));
  // keras.activations.relu(x, max_value=5.), relu(x, threshold=5.): x = 5 = threshold gives 0
  CHECK(close(relu({.max_value = 5}, x), row({0, 0, 0, 5, 5})));
  CHECK(close(relu({.threshold = 5}, x), row({0, 0, 0, 0, 10})));
  CHECK(close(relu({.negative_slope = 0.5}, x), row({-5, -2.5, 0, 5, 10})));  // Keras's leaky_relu branch
}

TEST_CASE("ReLU with a cap, a threshold and a slope, and its gradient at each piece") {
  // threshold 2, cap 6, slope 0.1: below 2 the output is 0.1 * (x - 2); at 2 it is 0; between 2 and 6 it is x.
  nn::ReLU layer({.max_value = 6, .negative_slope = 0.1, .threshold = 2});
  Rng rng(0);
  layer.build(Shape{5}, rng);
  const Matrix x = row({-1, 1, 2, 3, 7});
  CHECK(close(layer.forward(x, true), row({-0.3, -0.1, 0, 3, 6})));
  // dx / dy: the slope below the threshold, 0 at it, 1 between it and the cap, 0 above the cap.
  CHECK(close(layer.backward(row({1, 2, 3, 4, 5})), row({0.1, 0.2, 0, 4, 0})));

  // The leaky branch (slope, threshold 0, no cap) takes the slope at 0, as TensorFlow's leaky_relu gradient; relu's
  // gradient at 0 is 0.
  nn::ReLU leaky({.negative_slope = 0.25});
  leaky.build(Shape{3}, rng);
  const Matrix at_zero = row({-1, 0, 1});
  leaky.forward(at_zero, true);
  CHECK(close(leaky.backward(row({1, 1, 1})), row({0.25, 0.25, 1})));
  nn::ReLU plain;
  plain.build(Shape{3}, rng);
  plain.forward(at_zero, true);
  CHECK(close(plain.backward(row({1, 1, 1})), row({0, 0, 1})));
}

TEST_CASE("ReLU gradients match central differences away from the kinks") {
  // Threshold 0.5, cap 1.5: every value at least 0.15 from 0.5 and 1.5.
  Matrix x(3, 4);
  x << -1.3, -0.2, 0.2, 0.8,  //
      1.2, 2.0, 0.3, -0.7,    //
      1.8, 0.9, -2.2, 1.1;
  for (nn::ReLUOptions options : {nn::ReLUOptions{}, nn::ReLUOptions{.negative_slope = 0.3},
                                  nn::ReLUOptions{.max_value = 1.5, .negative_slope = 0.2, .threshold = 0.5}}) {
    nn::ReLU layer(options);
    Rng rng(0);
    layer.build(Shape{4}, rng);
    CHECK(testing::check_layer_gradients(layer, x) < testing::kTolerance);
  }
}

TEST_CASE("ReLU config: Keras's keys, max_value null when unset; round trip") {
  nn::ReLU layer({.max_value = 6, .negative_slope = 0.1, .threshold = 0.5, .name = "r"});
  const json written = nn::layer_to_json(layer);
  CHECK(written == json::parse(R"({"class_name": "ReLU", "config": {"name": "r", "max_value": 6.0,
      "negative_slope": 0.1, "threshold": 0.5, "trainable": true, "dtype": "float32"}})"));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "w")) == written);
  CHECK(nn::ReLU().config()["max_value"].is_null());
  // TF.js writes max_value alone.
  auto tfjs = nn::layer_from_json(json::parse(R"({"class_name": "ReLU", "config": {"max_value": null,
                                                  "name": "re_lu_ReLU1", "trainable": true}})"), "t");
  CHECK_FALSE(dynamic_cast<nn::ReLU&>(*tfjs).options().max_value.has_value());
}

TEST_CASE("ReLU rejects Keras's invalid options and checks its input") {
  CHECK_THROWS_WITH_AS(nn::ReLU({.max_value = -1}),
                       "ReLU: invalid max_value. Expected a number >= 0 or none; received max_value=-1.", Error);
  CHECK_THROWS_WITH_AS(nn::ReLU({.negative_slope = -0.1}),
                       doctest::Contains("ReLU: invalid negative_slope. Expected a number >= 0; received "
                                         "negative_slope=-0.1"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::ReLU({.threshold = -2}), doctest::Contains("received threshold=-2"), Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "ReLU", "config": {"threshold": -1}})"), "x"),
      doctest::Contains("x.config: ReLU: invalid threshold"), Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "ReLU", "config": {"max_value": "6"}})"), "x"),
      doctest::Contains("x.config.max_value: expected a number"), Error);
  nn::ReLU layer({.name = "r"});
  Rng rng(0);
  layer.build(Shape{3}, rng);
  CHECK_THROWS_WITH_AS(layer.forward(Matrix::Ones(2, 4), false),
                       doctest::Contains("ReLU 'r': expected input with 3 columns; received x with 4 columns"), Error);
  Matrix x = Matrix::Ones(2, 3);
  layer.forward(x, true);
  CHECK_THROWS_WITH_AS(layer.backward(Matrix::Ones(2, 2)), "ReLU 'r': backward expected dy of 2 x 3; received 2 x 2.",
                       Error);
}
