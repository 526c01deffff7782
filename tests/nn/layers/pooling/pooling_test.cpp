// MaxPooling, AveragePooling and the global pools: hand-derived outputs and gradients, gradient checks, errors.
// tfjs_layers_test.cpp matches them against TF.js.
#include "support/matrices.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace descent;
using descent::testing::check_layer_gradients;
using descent::testing::kTolerance;
using descent::testing::row;

namespace {

const Matrix kOneToNine = row({1, 2, 3, 4, 5, 6, 7, 8, 9});  // a 3 x 3 image of one channel

}  // namespace

TEST_CASE("MaxPooling2D and AveragePooling2D with same padding leave the padding out") {
  Rng rng(0);
  nn::MaxPooling2D max_pool(2, {.padding = "same"});
  max_pool.build({3, 3, 1}, rng);
  CHECK(max_pool.compute_output_shape({3, 3, 1}) == Shape{2, 2, 1});
  CHECK(max_pool.forward(kOneToNine, false) == row({5, 6, 8, 9}));
  nn::AveragePooling2D average(2, {.padding = "same"});
  average.build({3, 3, 1}, rng);
  // Windows {1, 2, 4, 5}, {3, 6}, {7, 8}, {9}: divided by 4, 2, 2, 1.
  CHECK(average.forward(kOneToNine, false) == row({3, 4.5, 7.5, 9}));
  average.set_input_gradient_needed(true);
  CHECK(average.backward(row({4, 2, 2, 1})) == row({1, 1, 1, 1, 1, 1, 1, 1, 1}));
}

TEST_CASE("MaxPooling gives the gradient to the first of equal maxima") {
  Rng rng(0);
  nn::MaxPooling2D pool(2);
  pool.build({2, 2, 1}, rng);
  CHECK(pool.forward(row({3, 7, 7, 1}), true) == row({7}));
  pool.set_input_gradient_needed(true);
  CHECK(pool.backward(row({5})) == row({0, 5, 0, 0}));
}

TEST_CASE("Strides default to pool_size; valid windows that do not fit are dropped") {
  Rng rng(0);
  nn::MaxPooling1D pool(2);
  pool.build({5, 2}, rng);
  CHECK(pool.compute_output_shape({5, 2}) == Shape{2, 2});
  // Steps (channel 0, channel 1): (1, -1) (2, -2) | (3, -3) (0, 4) | (9, 9) dropped.
  CHECK(pool.forward(row({1, -1, 2, -2, 3, -3, 0, 4, 9, 9}), false) == row({2, -1, 3, 4}));
}

TEST_CASE("Global pools reduce every position per channel; keepdims keeps axes of one") {
  Rng rng(0);
  nn::GlobalAveragePooling2D average;
  average.build({2, 2, 2}, rng);
  CHECK(average.compute_output_shape({2, 2, 2}) == Shape{2});
  CHECK(average.forward(row({1, 10, 2, 20, 3, 30, 6, 60}), false) == row({3, 30}));
  nn::GlobalMaxPooling2D max_pool({.keepdims = true});
  max_pool.build({2, 2, 2}, rng);
  CHECK(max_pool.compute_output_shape({2, 2, 2}) == Shape{1, 1, 2});
  CHECK(max_pool.forward(row({1, 60, 2, 20, 3, 30, 6, 10}), false) == row({6, 60}));
  max_pool.set_input_gradient_needed(true);
  CHECK(max_pool.backward(row({1, 2})) == row({0, 2, 0, 0, 0, 0, 1, 0}));
  nn::GlobalAveragePooling1D steps;
  steps.build({4, 1}, rng);
  CHECK(steps.forward(row({1, 2, 3, 6}), false) == row({3}));
}

TEST_CASE("Pooling gradients match central differences") {
  std::vector<std::unique_ptr<nn::Layer>> layers;
  layers.push_back(std::make_unique<nn::MaxPooling2D>(3, nn::PoolingOptions{.strides = 2, .padding = "same"}));
  layers.push_back(std::make_unique<nn::AveragePooling2D>(3, nn::PoolingOptions{.strides = 2, .padding = "same"}));
  layers.push_back(std::make_unique<nn::MaxPooling2D>(nn::Tuple{2, 3}, nn::PoolingOptions{.strides = nn::Tuple{1, 2}}));
  layers.push_back(std::make_unique<nn::AveragePooling1D>(3, nn::PoolingOptions{.strides = 2, .padding = "same"}));
  layers.push_back(std::make_unique<nn::MaxPooling1D>(2));
  layers.push_back(std::make_unique<nn::GlobalMaxPooling2D>());
  layers.push_back(std::make_unique<nn::GlobalAveragePooling2D>());
  layers.push_back(std::make_unique<nn::GlobalMaxPooling1D>());
  for (auto& layer : layers) {
    CAPTURE(layer->class_name());
    const bool one_d = layer->class_name().find("1D") != std::string::npos;
    const Shape input = one_d ? Shape{7, 3} : Shape{7, 5, 3};
    Rng rng(1);
    layer->build(input, rng);
    // Distinct values a step apart: no ties for the maxima, none within a finite-difference step of another.
    Matrix x(2, input.size());
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<Scalar>((i * 37 % x.size()) * 0.1);
    CHECK(check_layer_gradients(*layer, x) < kTolerance);
  }
}

TEST_CASE("Pooling errors and configs") {
  Rng rng(0);
  nn::MaxPooling2D wide(3, {.name = "wide"});
  CHECK_THROWS_WITH_AS(wide.build({2, 8, 4}, rng),
                       doctest::Contains("MaxPooling2D 'wide': a window of 3 along axis 1 is larger than the "
                                         "input's 2"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::AveragePooling2D(2, {.strides = 0}),
                       doctest::Contains("strides: expected values of at least 1"), Error);
  CHECK_THROWS_WITH_AS(nn::MaxPooling1D(0),
                       doctest::Contains("pool_size: expected values of at least 1; received 0"), Error);
  const json config = json::parse(R"({"class_name": "MaxPooling2D", "config": {"name": "p", "pool_size": [2, 2],
      "strides": null, "padding": "valid", "data_format": "channels_last", "trainable": true}})");
  auto pool = nn::layer_from_json(config, "pool");
  const json written = nn::layer_to_json(*pool);
  CHECK(written["config"]["strides"] == json::array({2, 2}));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "again")) == written);
  CHECK(nn::layer_from_json(json::parse(R"({"class_name": "GlobalAvgPool2D", "config": {"keepdims": true}})"), "g")
            ->class_name() == "GlobalAveragePooling2D");
}
