// Reshape: target shapes with and without -1, no copy, summary shapes, the config and the errors.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace descent;
using nlohmann::json;
using testing::uniform_matrix;

TEST_CASE("Reshape gives Keras's output shapes, -1 inferred") {
  CHECK(nn::Reshape({3, 4}).compute_output_shape(Shape{12}) == Shape{3, 4});
  CHECK(nn::Reshape({-1, 2, 2}).compute_output_shape(Shape{12}) == Shape{3, 2, 2});  // Keras's docstring example
  CHECK(nn::Reshape({7, -1}).compute_output_shape(Shape{7, 7, 64}) == Shape{7, 448});
  CHECK(nn::Reshape({-1}).compute_output_shape(Shape{2, 3, 4}) == Shape{24});
  CHECK(nn::Reshape({7, 7, 64}).compute_output_shape(Shape{3136}) == Shape{7, 7, 64});
}

TEST_CASE("Reshape returns x and dy themselves: the row-major values are the reshaped sample's") {
  nn::Reshape layer({2, -1}, {.name = "r"});
  Rng rng(0);
  layer.build(Shape{6}, rng);
  Matrix x = uniform_matrix(3, 6, 1);
  CHECK(&layer.forward(x, false) == &x);
  Matrix dy = uniform_matrix(3, 6, 2);
  CHECK(&layer.backward(dy) == &dy);
  layer.set_input_gradient_needed(false);
  CHECK(layer.backward(dy).size() == 0);
  CHECK(testing::check_layer_gradients(layer, uniform_matrix(2, 6, 3)) < testing::kTolerance);
}

TEST_CASE("Reshape in a model: summary shapes, then Flatten back, and the model trains") {
  nn::Sequential model({.seed = 3});
  model.add(nn::Input(12));
  model.add(nn::Reshape({3, 4}));
  model.add(nn::Flatten());
  model.add(nn::Dense(2));
  CHECK(model.layer(0).name() == "reshape");
  CHECK(model.layer(1).name() == "flatten");
  const std::string s = model.summary_text();
  CHECK(s.find("│ reshape (Reshape)") != std::string::npos);
  CHECK(s.find("(None, 3, 4)") != std::string::npos);
  CHECK(s.find("(None, 12)") != std::string::npos);
  CHECK(s.find(" 26 │") != std::string::npos);  // Dense: 12 * 2 + 2
  model.compile("mse", "sgd");
  Matrix x = uniform_matrix(8, 12, 4), y = uniform_matrix(8, 2, 5);
  model.fit(x, y, {.epochs = 1, .batch_size = 4, .verbose = 0});
}

TEST_CASE("Reshape config: target_shape as given, -1 kept; round trip") {
  nn::Reshape layer({-1, 4}, {.name = "r"});
  const json written = nn::layer_to_json(layer);
  CHECK(written == json::parse(R"({"class_name": "Reshape", "config": {"name": "r", "target_shape": [-1, 4],
                                   "trainable": true, "dtype": "float32"}})"));
  auto again = nn::layer_from_json(written, "w");
  CHECK(dynamic_cast<nn::Reshape&>(*again).target_shape() == std::vector<Index>{-1, 4});
  CHECK(nn::layer_to_json(*again) == written);
  // TF.js writes the -1 as null.
  auto tfjs = nn::layer_from_json(json::parse(R"({"class_name": "Reshape", "config": {"target_shape": [null, 2],
                                                  "name": "reshape_minus1", "trainable": true}})"), "t");
  CHECK(dynamic_cast<nn::Reshape&>(*tfjs).target_shape() == std::vector<Index>{-1, 2});
  CHECK(tfjs->compute_output_shape(Shape{3, 4, 2}) == Shape{12, 2});
}

TEST_CASE("Reshape errors: bad target shapes, sizes that differ, unknown keys") {
  CHECK_THROWS_WITH_AS(nn::Reshape({-1, -1}),
                       "Reshape: at most one entry of target_shape may be -1 (the size inferred); received "
                       "target_shape=(-1, -1).",
                       Error);
  CHECK_THROWS_WITH_AS(nn::Reshape({3, 0}), doctest::Contains("received target_shape=(3, 0)"), Error);
  CHECK_THROWS_WITH_AS(nn::Reshape({-2, 3}), doctest::Contains("received target_shape=(-2, 3)"), Error);
  CHECK_THROWS_WITH_AS(nn::Reshape({}), doctest::Contains("Reshape: expected a target_shape of at least one axis"),
                       Error);

  nn::Reshape five({5, 2}, {.name = "r5"});
  CHECK_THROWS_WITH_AS(five.compute_output_shape(Shape{3, 4}),
                       "Reshape 'r5': cannot reshape samples of shape (3, 4) (12 values) to target_shape (5, 2) (10 "
                       "values). Expected a target_shape that holds the sample's values exactly.",
                       Error);
  Rng rng(0);
  // build reports it once, naming the layer and both shapes.
  CHECK_THROWS_WITH_AS(five.build(Shape{12}, rng),
                       "Reshape 'r5': cannot reshape samples of shape (12,) (12 values) to target_shape (5, 2) (10 "
                       "values). Expected a target_shape that holds the sample's values exactly.",
                       Error);
  CHECK_THROWS_WITH_AS(nn::Reshape({5, -1}, {.name = "r"}).compute_output_shape(Shape{12}),
                       doctest::Contains("to target_shape (5, -1) (a multiple of 5 values)"), Error);
  CHECK_THROWS_WITH_AS(nn::Reshape({1 << 30, 1 << 30, -1}, {.name = "r"}).compute_output_shape(Shape{12}),
                       doctest::Contains("(more than 12 values)"), Error);

  nn::Sequential model;
  model.add(nn::Input({4, 3}));
  CHECK_THROWS_WITH_AS(model.add(nn::Reshape({5, 2}, {.name = "bad"})),
                       doctest::Contains("Reshape 'bad': cannot reshape samples of shape (4, 3)"), Error);

  auto reshape = [](const char* config) {
    return nn::layer_from_json(json{{"class_name", "Reshape"}, {"config", json::parse(config)}}, "x");
  };
  CHECK_THROWS_WITH_AS(reshape("{}"), doctest::Contains("x.config.target_shape: missing"), Error);
  CHECK_THROWS_WITH_AS(reshape(R"({"target_shape": 12})"),
                       doctest::Contains("x.config.target_shape: expected a list of sizes"), Error);
  CHECK_THROWS_WITH_AS(reshape(R"({"target_shape": [3, "4"]})"),
                       doctest::Contains("x.config.target_shape: expected positive sizes (at most 2^31) or one -1; "
                                         "received \"4\" in [3,\"4\"]"),
                       Error);
  CHECK_THROWS_WITH_AS(reshape(R"({"target_shape": [18446744073709551615]})"),
                       doctest::Contains("x.config.target_shape: expected positive sizes"), Error);
  CHECK_THROWS_WITH_AS(reshape(R"({"target_shape": [-1, -1]})"),
                       doctest::Contains("x.config: Reshape: at most one entry of target_shape may be -1"), Error);
}
