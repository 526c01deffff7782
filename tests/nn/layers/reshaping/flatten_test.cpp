// Flatten: the output shape Keras gives, no copy in either direction, the config, data_format and shape errors.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace descent;
using nlohmann::json;
using testing::uniform_matrix;

TEST_CASE("Flatten: (d1, ..., dk) -> (d1 * ... * dk,), returning x and dy themselves") {
  nn::Flatten layer({.name = "flat"});
  CHECK(layer.compute_output_shape(Shape{28, 28, 1}) == Shape{784});
  CHECK(layer.compute_output_shape(Shape{10, 64}) == Shape{640});
  CHECK(layer.compute_output_shape(Shape{5}) == Shape{5});
  Rng rng(0);
  layer.build(Shape{2, 3, 2}, rng);
  CHECK(layer.params().empty());
  // Sample (h, w, c) at column (h * 3 + w) * 2 + c: already Keras's flattened order.
  Matrix x = uniform_matrix(4, 12, 1);
  const Matrix& y = layer.forward(x, true);
  CHECK(&y == &x);
  Matrix dy = uniform_matrix(4, 12, 2);
  CHECK(&layer.backward(dy) == &dy);
  layer.set_input_gradient_needed(false);
  CHECK(layer.backward(dy).size() == 0);

  CHECK(testing::check_layer_gradients(layer, uniform_matrix(3, 12, 3)) < testing::kTolerance);
}

TEST_CASE("Flatten config: Keras's keys, round trip, data_format") {
  nn::Flatten layer({.name = "f"});
  const json written = nn::layer_to_json(layer);
  CHECK(written == json::parse(R"({"class_name": "Flatten", "config": {"name": "f", "data_format": "channels_last",
                                   "trainable": true, "dtype": "float32"}})"));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "w")) == written);
  // Keras 3 with its dtype policy; TF.js and Keras 2 leave data_format out or null.
  auto keras = nn::layer_from_json(json::parse(R"({"class_name": "Flatten", "config": {"name": "flatten",
      "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
      "registered_name": null}, "data_format": "channels_last"}})"), "k");
  CHECK(keras->name() == "flatten");
  CHECK(nn::layer_from_json(json::parse(R"({"class_name": "Flatten", "config": {"data_format": null}})"), "t")
            ->config()["data_format"] == "channels_last");

  CHECK_THROWS_WITH_AS(nn::Flatten({.data_format = "channels_first"}),
                       doctest::Contains("Flatten: data_format=\"channels_first\" is not supported"), Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "Flatten", "config": {"data_format": "channels_first"}})"), "x"),
      doctest::Contains("x.config: Flatten: data_format=\"channels_first\" is not supported"), Error);
  CHECK_THROWS_WITH_AS(nn::Flatten({.data_format = "nhwc"}),
                       doctest::Contains("Flatten: invalid data_format. Expected \"channels_last\"; received "
                                         "data_format=\"nhwc\""),
                       Error);
}

TEST_CASE("Flatten errors name the layer and the shapes") {
  nn::Flatten layer({.name = "flat"});
  Rng rng(0);
  layer.build(Shape{2, 3}, rng);
  CHECK_THROWS_WITH_AS(layer.forward(Matrix::Ones(2, 5), false),
                       doctest::Contains("Flatten 'flat': expected input with 6 columns; received x with 5 columns"),
                       Error);
  Matrix x = Matrix::Ones(2, 6);
  layer.forward(x, true);
  CHECK_THROWS_WITH_AS(layer.backward(Matrix::Ones(3, 6)),
                       "Flatten 'flat': backward expected dy of 2 x 6; received 3 x 6.", Error);
}
