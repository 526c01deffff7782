// ZeroPadding1D: Keras's docstring example, asymmetric padding and its backward, shapes, config, errors.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace descent;
using nlohmann::json;
using testing::close;
using testing::row;

TEST_CASE("ZeroPadding1D: Keras's docstring example, padding = 2 on (2, 3) samples") {
  nn::ZeroPadding1D layer({.padding = 2});
  Rng rng(0);
  layer.build(Shape{2, 3}, rng);
  CHECK(layer.compute_output_shape(Shape{2, 3}) == Shape{6, 3});
  // np.arange(12).reshape(2, 2, 3): two samples.
  const Matrix x = testing::matrix({{0, 1, 2, 3, 4, 5}, {6, 7, 8, 9, 10, 11}});
  CHECK(close(layer.forward(x, false), testing::matrix({{0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0},
                                                        {0, 0, 0, 0, 0, 0, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0}})));
}

TEST_CASE("ZeroPadding1D (1, 2): forward, backward reads the window back, gradients") {
  nn::ZeroPadding1D layer({.padding = {1, 2}, .name = "zp"});
  Rng rng(0);
  layer.build(Shape{2, 2}, rng);
  const Matrix x = row({1, 2, 3, 4});
  for (int repeat = 0; repeat < 2; ++repeat)  // the margins stay zero from one call to the next
    CHECK(close(layer.forward(x, true), row({0, 0, 1, 2, 3, 4, 0, 0, 0, 0})));
  CHECK(close(layer.backward(row({1, 2, 3, 4, 5, 6, 7, 8, 9, 10})), row({3, 4, 5, 6})));
  CHECK(testing::check_layer_gradients(layer, testing::uniform_matrix(3, 4, 1)) < testing::kTolerance);
  CHECK(layer.params().empty());
}

TEST_CASE("ZeroPadding1D config: padding as a pair; int and pair read; round trip") {
  const json written = nn::layer_to_json(nn::ZeroPadding1D({.padding = {2, 1}, .name = "z"}));
  CHECK(written == json::parse(R"({"class_name": "ZeroPadding1D", "config": {"name": "z", "padding": [2, 1],
                                   "data_format": "channels_last", "trainable": true, "dtype": "float32"}})"));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "w")) == written);
  auto from_int = nn::layer_from_json(json::parse(R"({"class_name": "ZeroPadding1D", "config": {"padding": 3}})"), "i");
  CHECK(dynamic_cast<nn::ZeroPadding1D&>(*from_int).options().padding == nn::Margins(3, 3));
  auto keras2 = nn::layer_from_json(json::parse(R"({"class_name": "ZeroPadding1D", "config": {"padding": [1, 1]}})"),
                                    "k");
  CHECK(nn::layer_to_json(*keras2)["config"]["padding"] == json::array({1, 1}));
}

TEST_CASE("ZeroPadding1D errors: negative padding, channels_first, bad JSON, the sample's rank") {
  CHECK_THROWS_WITH_AS(nn::ZeroPadding1D({.padding = {-1, 2}}),
                       "ZeroPadding1D: invalid padding. Expected values >= 0 (at most 2^31); received padding=(-1, 2).",
                       Error);
  CHECK_THROWS_WITH_AS(nn::ZeroPadding1D({.data_format = "channels_first"}),
                       doctest::Contains("ZeroPadding1D: data_format=\"channels_first\" is not supported"), Error);
  auto zp = [](const char* config) {
    return nn::layer_from_json(json{{"class_name", "ZeroPadding1D"}, {"config", json::parse(config)}}, "x");
  };
  CHECK_THROWS_WITH_AS(zp(R"({"padding": [1, 2, 3]})"),
                       "x.config.padding: expected an integer or a pair of integers [before, after]; received [1,2,3].",
                       Error);
  CHECK_THROWS_WITH_AS(zp(R"({"padding": -2})"), doctest::Contains("x.config: ZeroPadding1D: invalid padding"), Error);
  nn::ZeroPadding1D layer({.name = "zp"});
  Rng rng(0);
  CHECK_THROWS_WITH_AS(layer.build(Shape{4, 4, 1}, rng),
                       "ZeroPadding1D 'zp': expected samples of shape (steps, features); received samples of shape "
                       "(4, 4, 1).",
                       Error);
}
