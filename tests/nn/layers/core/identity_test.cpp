// Identity: passes x and dy through without copying, changes no training numbers, reads Keras 3's config.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace descent;
using testing::uniform_matrix;
using nlohmann::json;

TEST_CASE("Identity returns its input and the incoming gradient themselves") {
  nn::Identity layer({.name = "id"});
  Rng rng(0);
  layer.build(Shape{3}, rng);
  CHECK(layer.compute_output_shape(Shape{3}) == Shape{3});
  CHECK(layer.params().empty());
  Matrix x = uniform_matrix(4, 3, 1);
  CHECK(&layer.forward(x, true) == &x);
  Matrix dy = uniform_matrix(4, 3, 2);
  CHECK(&layer.backward(dy) == &dy);
  layer.set_input_gradient_needed(false);
  CHECK(layer.backward(dy).size() == 0);
  CHECK_THROWS_WITH_AS(layer.backward(uniform_matrix(4, 2, 3)),
                       "Identity 'id': backward expected dy of 4 x 3; received 4 x 2.", Error);
  CHECK_THROWS_WITH_AS(layer.forward(uniform_matrix(4, 2, 3), false), doctest::Contains("Identity 'id'"), Error);
}

TEST_CASE("A model with an Identity layer trains to the same numbers as the model without it") {
  // Identity draws nothing from the model's generator, so both models start from the same weights.
  auto make = [](bool with_identity) {
    nn::Sequential model({.seed = 5});
    model.add(nn::Input(3));
    model.add(nn::Dense(4, {.activation = "tanh"}));
    if (with_identity) model.add(nn::Identity());
    model.add(nn::Dense(1));
    model.compile("mse", optim::Adam({.learning_rate = 0.05}));
    return model;
  };
  Matrix x = uniform_matrix(20, 3, 4);
  Matrix y = uniform_matrix(20, 1, 5);
  auto plain = make(false);
  auto with_identity = make(true);
  const auto a = plain.fit(x, y, {.epochs = 3, .batch_size = 8, .verbose = 0});
  const auto b = with_identity.fit(x, y, {.epochs = 3, .batch_size = 8, .verbose = 0});
  CHECK(a["loss"] == b["loss"]);
  CHECK(plain.predict(x) == with_identity.predict(x));
  CHECK(with_identity.layer(1).name() == "identity");
}

TEST_CASE("Identity reads the config Keras 3 writes and writes it back") {
  auto layer = nn::layer_from_json(
      json::parse(R"({"module": "keras.layers", "class_name": "Identity", "config": {"name": "identity",
                      "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy",
                      "config": {"name": "float32"}, "registered_name": null}}, "registered_name": null})"),
      "k3");
  CHECK(layer->class_name() == "Identity");
  CHECK(layer->name() == "identity");
  CHECK(nn::layer_to_json(*layer) ==
        json::parse(R"({"class_name": "Identity", "config": {"name": "identity", "trainable": true,
                        "dtype": "float32"}})"));
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "Identity", "config": {"units": 3}})"), "x"),
                       doctest::Contains("x.config.units: unknown key \"units\""), Error);
}
