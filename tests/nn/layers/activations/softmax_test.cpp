// Softmax: Keras's documented values, any axis or run of adjacent axes, gradients, the fused cross-entropy over a
// whole sample, the config and the axis errors.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using nlohmann::json;
using testing::close;
using testing::matrix;
using testing::row;

namespace {

Matrix softmax(std::vector<int> axis, const Shape& shape, const Matrix& x) {
  nn::Softmax layer({.axis = std::move(axis)});
  Rng rng(0);
  layer.build(shape, rng);
  return layer.forward(x, false);
}

}  // namespace

TEST_CASE("Softmax over the last axis gives Keras's docstring values") {
  CHECK(close(softmax({-1}, Shape{3}, row({1, 2, 1})), row({0.21194157, 0.5761169, 0.21194157})));
}

TEST_CASE("Softmax over each axis of (2, 2) samples, and over both") {
  // Sample [[0, ln 3], [ln 2, ln 6]]: exponentials [[1, 3], [2, 6]].
  const Matrix x = row({0, std::log(3.0), std::log(2.0), std::log(6.0)});
  // Last axis: [1, 3] / 4 and [2, 6] / 8.
  CHECK(close(softmax({-1}, Shape{2, 2}, x), row({0.25, 0.75, 0.25, 0.75})));
  CHECK(close(softmax({2}, Shape{2, 2}, x), row({0.25, 0.75, 0.25, 0.75})));
  // First sample axis: columns [1, 2] / 3 and [3, 6] / 9.
  CHECK(close(softmax({1}, Shape{2, 2}, x), row({1.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3})));
  CHECK(close(softmax({-2}, Shape{2, 2}, x), row({1.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3})));
  // Both: [1, 3, 2, 6] / 12.
  CHECK(close(softmax({1, 2}, Shape{2, 2}, x), row({1.0 / 12, 3.0 / 12, 2.0 / 12, 6.0 / 12})));
}

TEST_CASE("Softmax over the middle axis of (2, 2, 2) samples") {
  // x[h][w][c] at (h * 2 + w) * 2 + c, all 0 but x[0][1][0] = ln 3: the group (h = 0, c = 0) over w is [1, 3] / 4,
  // every other group [1, 1] / 2.
  Matrix x = Matrix::Zero(1, 8);
  x(0, 2) = static_cast<Scalar>(std::log(3.0));
  CHECK(close(softmax({2}, Shape{2, 2, 2}, x), row({0.25, 0.5, 0.75, 0.5, 0.5, 0.5, 0.5, 0.5})));
}

TEST_CASE("Softmax gradients match central differences for each axis") {
  const Matrix x = testing::uniform_matrix(3, 24, 7);
  for (std::vector<int> axis : {std::vector<int>{-1}, std::vector<int>{1}, std::vector<int>{2}, std::vector<int>{3},
                                std::vector<int>{1, 2}, std::vector<int>{2, 3}}) {
    CAPTURE(axis.front());
    CAPTURE(axis.size());
    nn::Softmax layer({.axis = axis});
    Rng rng(0);
    layer.build(Shape{2, 3, 4}, rng);
    CHECK(testing::check_layer_gradients(layer, x) < testing::kTolerance);
  }
}

TEST_CASE("Softmax over whole samples is a final activation: Dense + Softmax trains as Dense(softmax)") {
  nn::Softmax over_rows;
  Rng rng(0);
  over_rows.build(Shape{3}, rng);
  CHECK(over_rows.final_activation() == "softmax");
  const Matrix x = row({1, 2, 3});
  over_rows.forward(x, false);
  CHECK(&over_rows.logits() == &x);
  nn::Softmax per_position;
  per_position.build(Shape{2, 3}, rng);
  CHECK(per_position.final_activation().empty());

  // The same seed draws the same Dense weights; Softmax draws nothing. Both use the fused loss from the logits.
  auto make = [](bool separate) {
    nn::Sequential model({.seed = 11});
    model.add(nn::Input(4));
    if (separate) {
      model.add(nn::Dense(3));
      model.add(nn::Softmax());
    } else {
      model.add(nn::Dense(3, {.activation = "softmax"}));
    }
    model.compile("categorical_crossentropy", optim::SGD({.learning_rate = 0.5}));
    return model;
  };
  const Matrix inputs = testing::uniform_matrix(12, 4, 1);
  Matrix targets = Matrix::Zero(12, 3);
  for (Index i = 0; i < 12; ++i) targets(i, i % 3) = 1;
  auto a = make(true), b = make(false);
  const auto ha = a.fit(inputs, targets, {.epochs = 3, .batch_size = 4, .shuffle = false, .verbose = 0});
  const auto hb = b.fit(inputs, targets, {.epochs = 3, .batch_size = 4, .shuffle = false, .verbose = 0});
  CHECK(ha["loss"].back() == doctest::Approx(hb["loss"].back()).epsilon(1e-6));
  CHECK(close(a.predict(inputs), b.predict(inputs)));
}

TEST_CASE("Softmax config: axis an int or a list, as given; round trip") {
  const json written = nn::layer_to_json(nn::Softmax({.name = "s"}));
  CHECK(written == json::parse(R"({"class_name": "Softmax", "config": {"name": "s", "axis": -1, "trainable": true,
                                   "dtype": "float32"}})"));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "w")) == written);
  const json two = nn::layer_to_json(nn::Softmax({.axis = {2, 3}}));
  CHECK(two["config"]["axis"] == json::array({2, 3}));
  CHECK(nn::layer_to_json(*nn::layer_from_json(two, "w")) == two);
  auto listed = nn::layer_from_json(json::parse(R"({"class_name": "Softmax", "config": {"axis": [1]}})"), "l");
  CHECK(dynamic_cast<nn::Softmax&>(*listed).options().axis == std::vector<int>{1});
}

TEST_CASE("Softmax errors: the batch axis, axes beyond the sample, axes apart, bad configs") {
  Rng rng(0);
  nn::Softmax batch({.axis = {0}, .name = "s"});
  CHECK_THROWS_WITH_AS(batch.build(Shape{4}, rng),
                       "Softmax 's': axis=0 does not name an axis of samples of shape (4,). Expected axes from 1 to 1 "
                       "or from -1 to -1 (axis 0, the batch, is not supported).",
                       Error);
  nn::Softmax beyond({.axis = {3}, .name = "s"});
  CHECK_THROWS_WITH_AS(beyond.build(Shape{4, 5}, rng), doctest::Contains("axis=3 does not name an axis of samples "
                                                                          "of shape (4, 5)"),
                       Error);
  nn::Softmax apart({.axis = {1, 3}, .name = "s"});
  CHECK_THROWS_WITH_AS(apart.build(Shape{2, 3, 4}, rng),
                       "Softmax 's': axis=[1, 3] names axes that are not adjacent, which is not supported. Expected "
                       "one axis or a run of adjacent axes.",
                       Error);
  CHECK_THROWS_WITH_AS(nn::Softmax({.axis = {}}), doctest::Contains("Softmax: expected at least one axis"), Error);
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "Softmax", "config": {"axis": "last"}})"), "x"),
                       doctest::Contains("x.config.axis: expected an axis or a list of axes"), Error);
  CHECK_THROWS_WITH_AS(nn::Softmax({.name = "u"}).forward(Matrix::Ones(1, 2), false), "Softmax 'u': used before build().",
                       Error);
}
