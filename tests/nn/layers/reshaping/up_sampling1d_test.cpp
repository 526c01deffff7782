// UpSampling1D: Keras's docstring example, backward sums the repeats, config, errors.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace descent;
using nlohmann::json;
using testing::close;
using testing::row;

TEST_CASE("UpSampling1D: Keras's docstring example, size = 2 of (2, 3) samples; backward sums the copies") {
  nn::UpSampling1D layer;  // size 2 by default
  Rng rng(0);
  layer.build(Shape{2, 3}, rng);
  CHECK(layer.compute_output_shape(Shape{2, 3}) == Shape{4, 3});
  const Matrix x = testing::matrix({{0, 1, 2, 3, 4, 5}, {6, 7, 8, 9, 10, 11}});
  CHECK(close(layer.forward(x, true), testing::matrix({{0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5},
                                                       {6, 7, 8, 6, 7, 8, 9, 10, 11, 9, 10, 11}})));
  // Step 0 gets output steps 0 and 1: [1 + 4, 2 + 5, 3 + 6]; step 1 gets steps 2 and 3.
  const Matrix dy = testing::matrix({{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1}});
  CHECK(close(layer.backward(dy), testing::matrix({{5, 7, 9, 17, 19, 21}, {0, 0, 0, 1, 1, 1}})));
  nn::UpSampling1D three({.size = 3});
  three.build(Shape{3, 2}, rng);
  CHECK(testing::check_layer_gradients(three, testing::uniform_matrix(2, 6, 1)) < testing::kTolerance);
}

TEST_CASE("UpSampling1D config; errors") {
  const json written = nn::layer_to_json(nn::UpSampling1D({.size = 3, .name = "u"}));
  CHECK(written == json::parse(R"({"class_name": "UpSampling1D", "config": {"name": "u", "size": 3,
                                   "trainable": true, "dtype": "float32"}})"));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "w")) == written);
  CHECK_THROWS_WITH_AS(nn::UpSampling1D({.size = 0}),
                       "UpSampling1D: invalid size. Expected positive integers (at most 2^31); received size=0.", Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "UpSampling1D", "config": {"size": [2]}})"), "x"),
      doctest::Contains("x.config.size: expected an integer"), Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "UpSampling1D", "config": {"size": -3}})"), "x"),
      doctest::Contains("x.config: UpSampling1D: invalid size"), Error);
  nn::UpSampling1D layer({.name = "u"});
  Rng rng(0);
  CHECK_THROWS_WITH_AS(layer.build(Shape{8, 8, 1}, rng),
                       "UpSampling1D 'u': expected samples of shape (steps, features); received samples of shape "
                       "(8, 8, 1).",
                       Error);
}
