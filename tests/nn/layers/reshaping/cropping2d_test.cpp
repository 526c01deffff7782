// Cropping2D: windows of the image kept, backward into zeros, the three cropping forms, config, errors.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace descent;
using nlohmann::json;
using testing::close;
using testing::row;

TEST_CASE("Cropping2D ((1, 0), (1, 2)) of a 3 x 4 image keeps rows 1-2 of column 1") {
  nn::Cropping2D layer({.cropping = {{1, 0}, {1, 2}}});
  Rng rng(0);
  layer.build(Shape{3, 4, 1}, rng);
  CHECK(layer.compute_output_shape(Shape{3, 4, 1}) == Shape{2, 1, 1});
  // Rows [1 2 3 4], [5 6 7 8], [9 10 11 12].
  CHECK(close(layer.forward(row({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}), true), row({6, 10})));
  CHECK(close(layer.backward(row({1, 2})), row({0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0})));
}

TEST_CASE("Cropping2D 1 of a 3 x 3 image of 2 channels keeps the centre pixel; gradients") {
  nn::Cropping2D layer({.cropping = 1});
  Rng rng(0);
  layer.build(Shape{3, 3, 2}, rng);
  Matrix x(1, 18);
  for (Index k = 0; k < 18; ++k) x(0, k) = static_cast<Scalar>(k);
  CHECK(close(layer.forward(x, false), row({8, 9})));  // pixel (1, 1) at (1 * 3 + 1) * 2
  CHECK(testing::check_layer_gradients(layer, testing::uniform_matrix(2, 18, 1)) < testing::kTolerance);
  nn::Cropping2D uneven({.cropping = {{0, 1}, {2, 0}}});
  uneven.build(Shape{3, 4, 2}, rng);
  CHECK(uneven.compute_output_shape(Shape{3, 4, 2}) == Shape{2, 2, 2});
  CHECK(testing::check_layer_gradients(uneven, testing::uniform_matrix(2, 24, 2)) < testing::kTolerance);
}

TEST_CASE("Cropping2D config: cropping as a pair of pairs, ((0, 0), (0, 0)) by default; round trip") {
  const json written = nn::layer_to_json(nn::Cropping2D({.cropping = {2, 3}, .name = "c"}));
  CHECK(written == json::parse(R"({"class_name": "Cropping2D", "config": {"name": "c",
      "cropping": [[2, 2], [3, 3]], "data_format": "channels_last", "trainable": true, "dtype": "float32"}})"));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "w")) == written);
  CHECK(nn::Cropping2D().config()["cropping"] == json::parse("[[0, 0], [0, 0]]"));
}

TEST_CASE("Cropping2D errors: negative cropping, nothing left, channels_first, the sample's rank") {
  CHECK_THROWS_WITH_AS(nn::Cropping2D({.cropping = {1, -1}}),
                       doctest::Contains("Cropping2D: invalid cropping. Expected values >= 0 (at most 2^31); received "
                                         "cropping=((1, 1), (-1, -1))"),
                       Error);
  nn::Cropping2D layer({.cropping = {{0, 0}, {2, 3}}, .name = "c"});
  Rng rng(0);
  CHECK_THROWS_WITH_AS(layer.build(Shape{3, 5, 1}, rng),
                       "Cropping2D 'c': cropping=((0, 0), (2, 3)) leaves nothing of samples of shape (3, 5, 1). "
                       "Expected margins that sum to less than the width (5).",
                       Error);
  CHECK_THROWS_WITH_AS(nn::Cropping2D({.cropping = {{2, 1}, {0, 0}}, .name = "c"}).compute_output_shape(Shape{3, 5, 1}),
                       doctest::Contains("less than the height (3)"), Error);
  CHECK_THROWS_WITH_AS(nn::Cropping2D({.data_format = "channels_first"}),
                       doctest::Contains("Cropping2D: data_format=\"channels_first\" is not supported"), Error);
  CHECK_THROWS_WITH_AS(layer.build(Shape{3, 5}, rng),
                       doctest::Contains("Cropping2D 'c': expected samples of shape (height, width, channels)"), Error);
}
