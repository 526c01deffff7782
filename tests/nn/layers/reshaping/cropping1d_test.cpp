// Cropping1D: Keras's docstring example, asymmetric cropping and its backward, config, the errors.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace descent;
using nlohmann::json;
using testing::close;
using testing::row;

TEST_CASE("Cropping1D: Keras's docstring example, cropping = 1 of (3, 2) samples") {
  nn::Cropping1D layer;  // (1, 1) by default
  Rng rng(0);
  layer.build(Shape{3, 2}, rng);
  CHECK(layer.compute_output_shape(Shape{3, 2}) == Shape{1, 2});
  // np.arange(12).reshape(2, 3, 2) -> [[2, 3]] and [[8, 9]].
  const Matrix x = testing::matrix({{0, 1, 2, 3, 4, 5}, {6, 7, 8, 9, 10, 11}});
  CHECK(close(layer.forward(x, true), testing::matrix({{2, 3}, {8, 9}})));
  // backward writes dy where the window was, zeros elsewhere (twice: the zeros stay).
  for (int repeat = 0; repeat < 2; ++repeat)
    CHECK(close(layer.backward(testing::matrix({{7, 8}, {-1, -2}})),
                testing::matrix({{0, 0, 7, 8, 0, 0}, {0, 0, -1, -2, 0, 0}})));
}

TEST_CASE("Cropping1D (0, 2): forward, gradients") {
  nn::Cropping1D layer({.cropping = {0, 2}});
  Rng rng(0);
  layer.build(Shape{4, 1}, rng);
  CHECK(close(layer.forward(row({1, 2, 3, 4}), false), row({1, 2})));
  CHECK(testing::check_layer_gradients(layer, testing::uniform_matrix(3, 4, 1)) < testing::kTolerance);
  nn::Cropping1D wide({.cropping = {1, 2}});
  wide.build(Shape{5, 3}, rng);
  CHECK(testing::check_layer_gradients(wide, testing::uniform_matrix(2, 15, 2)) < testing::kTolerance);
}

TEST_CASE("Cropping1D config: cropping as a pair; round trip") {
  const json written = nn::layer_to_json(nn::Cropping1D({.cropping = 2, .name = "c"}));
  CHECK(written == json::parse(R"({"class_name": "Cropping1D", "config": {"name": "c", "cropping": [2, 2],
                                   "trainable": true, "dtype": "float32"}})"));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "w")) == written);
}

TEST_CASE("Cropping1D errors: negative cropping, cropping all the steps, the sample's rank, data_format unknown") {
  CHECK_THROWS_WITH_AS(nn::Cropping1D({.cropping = -1}),
                       "Cropping1D: invalid cropping. Expected values >= 0 (at most 2^31); received cropping=(-1, -1).",
                       Error);
  nn::Cropping1D layer({.cropping = {2, 2}, .name = "c"});
  CHECK_THROWS_WITH_AS(layer.compute_output_shape(Shape{4, 3}),
                       "Cropping1D 'c': cropping=(2, 2) leaves nothing of samples of shape (4, 3). Expected margins "
                       "that sum to less than the steps (4).",
                       Error);
  Rng rng(0);
  CHECK_THROWS_WITH_AS(layer.build(Shape{3}, rng),
                       "Cropping1D 'c': expected samples of shape (steps, features); received samples of shape (3,).",
                       Error);
  // Keras's Cropping1D has no data_format.
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "Cropping1D", "config": {"data_format": "channels_last"}})"),
                          "x"),
      doctest::Contains("x.config.data_format: unknown key"), Error);
}
