// Rescaling: y = x * scale + offset in training and inference, dx = dy * scale, the config and the errors.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using nlohmann::json;
using testing::close;
using testing::row;

TEST_CASE("Rescaling maps [0, 255] to [0, 1] and to [-1, 1], in training and inference") {
  Rng rng(0);
  nn::Rescaling unit(1.0 / 255);
  unit.build(Shape{2, 2, 1}, rng);
  CHECK(unit.compute_output_shape(Shape{2, 2, 1}) == Shape{2, 2, 1});
  CHECK(unit.params().empty());
  const Matrix x = row({0, 51, 127.5, 255});
  CHECK(close(unit.forward(x, false), row({0, 0.2, 0.5, 1})));
  nn::Rescaling centred(1.0 / 127.5, {.offset = -1});
  centred.build(Shape{4}, rng);
  CHECK(close(centred.forward(x, true), row({-1, -0.6, 0, 1})));
  // dx = dy / 127.5.
  CHECK(close(centred.backward(row({127.5, 255, -25.5, 1})), row({1, 2, -0.2, 1 / 127.5})));
  CHECK(testing::check_layer_gradients(centred, testing::uniform_matrix(3, 4, 2)) < testing::kTolerance);
  centred.set_input_gradient_needed(false);
  centred.forward(x, true);
  CHECK(centred.backward(row({1, 1, 1, 1})).size() == 0);
}

TEST_CASE("Rescaling config: Keras's scale and offset; round trip") {
  nn::Rescaling layer(0.5, {.offset = 2, .name = "r"});
  const json written = nn::layer_to_json(layer);
  CHECK(written == json::parse(R"({"class_name": "Rescaling", "config": {"name": "r", "scale": 0.5, "offset": 2.0,
                                   "trainable": true, "dtype": "float32"}})"));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "w")) == written);
  auto keras = nn::layer_from_json(json::parse(R"({"class_name": "Rescaling", "config": {"scale": 0.00392156862745098}})"),
                                   "k");
  CHECK(dynamic_cast<nn::Rescaling&>(*keras).offset() == 0.0);
}

TEST_CASE("Rescaling errors: per-channel scales, a missing scale, non-finite values, the input width") {
  auto rescaling = [](const char* config) {
    return nn::layer_from_json(json{{"class_name", "Rescaling"}, {"config", json::parse(config)}}, "x");
  };
  CHECK_THROWS_WITH_AS(rescaling(R"({"scale": [0.5, 0.25, 0.125]})"),
                       "x.config.scale: a per-channel scale (an array) is not supported. Expected a number.", Error);
  CHECK_THROWS_WITH_AS(rescaling(R"({"scale": 1, "offset": {"class_name": "__numpy__", "config": {}}})"),
                       doctest::Contains("x.config.offset: a per-channel offset (an object) is not supported"), Error);
  CHECK_THROWS_WITH_AS(rescaling(R"({"offset": 1})"), doctest::Contains("x.config.scale: missing"), Error);
  CHECK_THROWS_WITH_AS(nn::Rescaling(std::nan("")), doctest::Contains("Rescaling: invalid scale"), Error);
  nn::Rescaling layer(2, {.name = "r"});
  Rng rng(0);
  layer.build(Shape{3}, rng);
  CHECK_THROWS_WITH_AS(layer.forward(Matrix::Ones(1, 2), false),
                       doctest::Contains("Rescaling 'r': expected input with 3 columns; received x with 2 columns"),
                       Error);
}
