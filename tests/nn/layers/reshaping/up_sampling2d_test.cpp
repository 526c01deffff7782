// UpSampling2D: Keras's docstring example, square and uneven factors, backward sums the blocks, config, the errors
// (bilinear and channels_first included).
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace descent;
using nlohmann::json;
using testing::close;
using testing::row;

TEST_CASE("UpSampling2D: Keras's docstring example, size (1, 2) of (2, 1, 3) samples") {
  nn::UpSampling2D layer({.size = {1, 2}});
  Rng rng(0);
  layer.build(Shape{2, 1, 3}, rng);
  CHECK(layer.compute_output_shape(Shape{2, 1, 3}) == Shape{2, 2, 3});
  const Matrix x = testing::matrix({{0, 1, 2, 3, 4, 5}, {6, 7, 8, 9, 10, 11}});
  CHECK(close(layer.forward(x, false), testing::matrix({{0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5},
                                                        {6, 7, 8, 6, 7, 8, 9, 10, 11, 9, 10, 11}})));
}

TEST_CASE("UpSampling2D size 2 of a 1 x 2 image: 2 x 2 blocks; backward sums each block") {
  nn::UpSampling2D layer;  // (2, 2) by default
  Rng rng(0);
  layer.build(Shape{1, 2, 1}, rng);
  CHECK(close(layer.forward(row({1, 2}), true), row({1, 1, 2, 2, 1, 1, 2, 2})));
  // Output [[1 2 3 4], [5 6 7 8]]: pixel 0 gets 1 + 2 + 5 + 6, pixel 1 gets 3 + 4 + 7 + 8.
  CHECK(close(layer.backward(row({1, 2, 3, 4, 5, 6, 7, 8})), row({14, 22})));

  nn::UpSampling2D uneven({.size = {2, 3}});
  uneven.build(Shape{2, 1, 1}, rng);
  CHECK(close(uneven.forward(row({1, 2}), true), row({1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2})));
  nn::UpSampling2D general({.size = {3, 2}});
  general.build(Shape{2, 3, 2}, rng);
  CHECK(general.compute_output_shape(Shape{2, 3, 2}) == Shape{6, 6, 2});
  CHECK(testing::check_layer_gradients(general, testing::uniform_matrix(2, 12, 1)) < testing::kTolerance);
}

TEST_CASE("UpSampling2D config: size as a pair, data_format, interpolation; round trip; default name") {
  const json written = nn::layer_to_json(nn::UpSampling2D({.size = 3, .name = "u"}));
  CHECK(written == json::parse(R"({"class_name": "UpSampling2D", "config": {"name": "u", "size": [3, 3],
      "data_format": "channels_last", "interpolation": "nearest", "trainable": true, "dtype": "float32"}})"));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "w")) == written);
  auto upper = nn::layer_from_json(
      json::parse(R"({"class_name": "UpSampling2D", "config": {"size": 2, "interpolation": "NEAREST"}})"), "k");
  CHECK(upper->config()["interpolation"] == "nearest");  // Keras lower-cases it
  nn::Sequential model;
  model.add(nn::Input({7, 7, 4}));
  model.add(nn::UpSampling2D());
  CHECK(model.layer(0).name() == "up_sampling2d");
  CHECK(model.summary_text().find("(None, 14, 14, 4)") != std::string::npos);
}

TEST_CASE("UpSampling2D errors: bilinear, channels_first, sizes <= 0, the sample's rank") {
  CHECK_THROWS_WITH_AS(nn::UpSampling2D({.interpolation = "bilinear"}),
                       doctest::Contains("UpSampling2D: interpolation=\"bilinear\" is not supported. Expected "
                                         "interpolation=\"nearest\""),
                       Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "UpSampling2D", "config": {"interpolation": "bilinear"}})"),
                          "x"),
      doctest::Contains("x.config: UpSampling2D: interpolation=\"bilinear\" is not supported"), Error);
  CHECK_THROWS_WITH_AS(nn::UpSampling2D({.data_format = "channels_first"}),
                       doctest::Contains("UpSampling2D: data_format=\"channels_first\" is not supported"), Error);
  CHECK_THROWS_WITH_AS(nn::UpSampling2D({.size = {2, 0}}),
                       "UpSampling2D: invalid size. Expected positive integers (at most 2^31); received size=(2, 0).",
                       Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "UpSampling2D", "config": {"size": [2, 2, 2]}})"), "x"),
      "x.config: UpSampling2D: size: expected an integer or 2 integers; received 3 values.", Error);
  nn::UpSampling2D layer({.name = "u"});
  Rng rng(0);
  CHECK_THROWS_WITH_AS(layer.build(Shape{7, 7}, rng),
                       doctest::Contains("UpSampling2D 'u': expected samples of shape (height, width, channels); "
                                         "received samples of shape (7, 7)"),
                       Error);
}
