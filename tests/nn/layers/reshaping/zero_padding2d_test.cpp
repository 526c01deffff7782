// ZeroPadding2D: Keras's docstring example, the three padding forms, backward, shapes and names, config, errors.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace descent;
using nlohmann::json;
using testing::close;
using testing::row;

TEST_CASE("ZeroPadding2D: Keras's docstring example, padding = 1 around a (1, 2, 2) sample") {
  nn::ZeroPadding2D layer;  // padding 1 by default
  Rng rng(0);
  layer.build(Shape{1, 2, 2}, rng);
  CHECK(layer.compute_output_shape(Shape{1, 2, 2}) == Shape{3, 4, 2});
  // [[[0, 1], [2, 3]]] -> a zero row, [[0, 0], [0, 1], [2, 3], [0, 0]], a zero row.
  CHECK(close(layer.forward(row({0, 1, 2, 3}), false),
              row({0, 0, 0, 0, 0, 0, 0, 0, /**/ 0, 0, 0, 1, 2, 3, 0, 0, /**/ 0, 0, 0, 0, 0, 0, 0, 0})));
}

TEST_CASE("ZeroPadding2D ((1, 0), (0, 2)): forward, backward, gradients") {
  nn::ZeroPadding2D layer({.padding = {{1, 0}, {0, 2}}});
  Rng rng(0);
  layer.build(Shape{2, 2, 1}, rng);
  // [[1, 2], [3, 4]] -> [[0, 0, 0, 0], [1, 2, 0, 0], [3, 4, 0, 0]].
  CHECK(close(layer.forward(row({1, 2, 3, 4}), true), row({0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0})));
  // dx: dy at (1, 0), (1, 1), (2, 0), (2, 1) of the 3 x 4 output.
  CHECK(close(layer.backward(row({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})), row({5, 6, 9, 10})));
  nn::ZeroPadding2D wide({.padding = {2, 1}});
  wide.build(Shape{3, 2, 2}, rng);
  CHECK(testing::check_layer_gradients(wide, testing::uniform_matrix(2, 12, 1)) < testing::kTolerance);
  CHECK(testing::check_layer_gradients(layer, testing::uniform_matrix(3, 4, 2)) < testing::kTolerance);
}

TEST_CASE("ZeroPadding2D output shapes in a model, with Keras's default name") {
  CHECK(nn::ZeroPadding2D({.padding = 2}).compute_output_shape(Shape{28, 28, 3}) == Shape{32, 32, 3});
  CHECK(nn::ZeroPadding2D({.padding = {1, 2}}).compute_output_shape(Shape{28, 28, 3}) == Shape{30, 32, 3});
  CHECK(nn::ZeroPadding2D({.padding = {{1, 2}, {3, 4}}}).compute_output_shape(Shape{28, 28, 3}) == Shape{31, 35, 3});
  nn::Sequential model;
  model.add(nn::Input({28, 28, 3}));
  model.add(nn::ZeroPadding2D({.padding = {{1, 2}, {3, 4}}}));
  CHECK(model.layer(0).name() == "zero_padding2d");  // Keras's to_snake_case
  CHECK(model.summary_text().find("(None, 31, 35, 3)") != std::string::npos);
}

TEST_CASE("ZeroPadding2D config: padding as a pair of pairs; every Keras form read; round trip") {
  const json written = nn::layer_to_json(nn::ZeroPadding2D({.padding = {{1, 2}, {3, 4}}, .name = "z"}));
  CHECK(written == json::parse(R"({"class_name": "ZeroPadding2D", "config": {"name": "z",
      "padding": [[1, 2], [3, 4]], "data_format": "channels_last", "trainable": true, "dtype": "float32"}})"));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "w")) == written);
  auto padding_of = [](const char* padding) {
    auto layer = nn::layer_from_json(
        json{{"class_name", "ZeroPadding2D"}, {"config", {{"padding", json::parse(padding)}}}}, "p");
    return dynamic_cast<nn::ZeroPadding2D&>(*layer).options().padding;
  };
  CHECK(padding_of("2") == nn::Margins2D({2, 2}, {2, 2}));
  CHECK(padding_of("[1, 2]") == nn::Margins2D({1, 1}, {2, 2}));
  CHECK(padding_of("[[1, 2], [3, 4]]") == nn::Margins2D({1, 2}, {3, 4}));
  CHECK(padding_of("[1, [3, 4]]") == nn::Margins2D({1, 1}, {3, 4}));  // each entry an int or a pair, as Keras
  CHECK(nn::layer_from_json(json::parse(R"({"class_name": "ZeroPadding2D", "config": {}})"), "d")
            ->config()["padding"] == json::parse("[[1, 1], [1, 1]]"));
}

TEST_CASE("ZeroPadding2D errors: negative padding, channels_first, bad JSON, the sample's rank") {
  CHECK_THROWS_WITH_AS(nn::ZeroPadding2D({.padding = {{0, 1}, {-2, 0}}}),
                       "ZeroPadding2D: invalid padding. Expected values >= 0 (at most 2^31); received "
                       "padding=((0, 1), (-2, 0)).",
                       Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(
          json::parse(R"({"class_name": "ZeroPadding2D", "config": {"data_format": "channels_first"}})"), "x"),
      "x.config: ZeroPadding2D: data_format=\"channels_first\" is not supported. Expected "
      "data_format=\"channels_last\": Descent lays samples out channels last, (height, width, channels); received "
      "data_format=\"channels_first\".",
      Error);
  for (const char* bad : {"[1, 2, 3]", "\"same\"", "[[1, 2, 3], [1, 2]]", "[1.5, 2]", "[[1, 2], null]"}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH_AS(
        nn::layer_from_json(json{{"class_name", "ZeroPadding2D"}, {"config", {{"padding", json::parse(bad)}}}}, "x"),
        doctest::Contains("x.config.padding: expected an integer, a pair [height, width] or a pair of pairs "
                          "[[top, bottom], [left, right]]"),
        Error);
  }
  nn::ZeroPadding2D layer({.name = "zp"});
  Rng rng(0);
  CHECK_THROWS_WITH_AS(layer.build(Shape{28, 28}, rng),
                       "ZeroPadding2D 'zp': expected samples of shape (height, width, channels); received samples of "
                       "shape (28, 28).",
                       Error);
  nn::Sequential model;
  model.add(nn::Input(784));
  CHECK_THROWS_WITH_AS(model.add(nn::ZeroPadding2D()),
                       doctest::Contains("ZeroPadding2D 'zero_padding2d': expected samples of shape (height, width, "
                                         "channels); received samples of shape (784,)"),
                       Error);
}
