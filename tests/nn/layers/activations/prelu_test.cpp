// PReLU: alpha's shape with shared axes, forward and backward on hand-set alphas, gradients (alpha included), the
// summary's parameter counts, the regularizer and constraint, the config and the errors.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace descent;
using nlohmann::json;
using testing::close;
using testing::matrix;
using testing::row;

TEST_CASE("PReLU: y = x above 0, alpha * x below, alpha broadcast along the shared axes") {
  // Samples (2, 3) sharing axis 1: alpha of shape (1, 3), one per column of the sample.
  nn::PReLU layer({.shared_axes = {1}, .name = "p"});
  Rng rng(0);
  layer.build(Shape{2, 3}, rng);
  CHECK(layer.alpha().shape == Shape{1, 3});
  CHECK(layer.alpha().value.isZero());  // alpha_initializer "zeros"
  layer.alpha().value << 0.1, 0.2, 0.3;
  // Sample [[-1, 2, -3], [4, -5, 0]] and its double.
  const Matrix x = matrix({{-1, 2, -3, 4, -5, 0}, {-2, 4, -6, 8, -10, 0}});
  CHECK(close(layer.forward(x, true), matrix({{-0.1, 2, -0.9, 4, -1.0, 0}, {-0.2, 4, -1.8, 8, -2.0, 0}})));
  const Matrix dy = matrix({{1, 1, 1, 1, 1, 1}, {2, 2, 2, 2, 2, 2}});
  // dx: dy above 0, alpha * dy below, 0 at 0.
  CHECK(close(layer.backward(dy), matrix({{0.1, 1, 0.3, 1, 0.2, 0}, {0.2, 2, 0.6, 2, 0.4, 0}})));
  // dalpha_j = sum of dy * min(x, 0) over both samples and both sample rows:
  // column 0: 1 * -1 + 2 * -2 = -5; column 1: 1 * -5 + 2 * -10 = -25; column 2: 1 * -3 + 2 * -6 = -15.
  CHECK(close(layer.alpha().grad, row({-5, -25, -15})));
}

TEST_CASE("PReLU alpha shapes and counts: Keras's summary") {
  CHECK(nn::PReLU().compute_output_shape(Shape{28, 28, 32}) == Shape{28, 28, 32});
  nn::Sequential model;
  model.add(nn::Input({28, 28, 32}));
  model.add(nn::PReLU({.shared_axes = {1, 2}}));
  model.add(nn::PReLU());
  model.add(nn::PReLU({.shared_axes = {3}}));
  CHECK(model.layer(0).weights()[0]->shape == Shape{1, 1, 32});
  CHECK(model.layer(1).weights()[0]->shape == Shape{28, 28, 32});
  CHECK(model.layer(2).weights()[0]->shape == Shape{28, 28, 1});
  const std::string s = model.summary_text();
  CHECK(s.find("│ p_re_lu (PReLU)") != std::string::npos);
  CHECK(s.find("(None, 28, 28, 32)") != std::string::npos);
  CHECK(s.find(" 32 │") != std::string::npos);
  CHECK(s.find(" 25,088 │") != std::string::npos);  // 28 * 28 * 32
  CHECK(s.find(" 784 │") != std::string::npos);     // 28 * 28
  CHECK(model.count_params() == 32 + 25088 + 784);
}

TEST_CASE("PReLU gradients match central differences, for x and for alpha") {
  Matrix x(3, 12);
  x << -1.2, 0.4, -0.3, 2.2, 0.9, -2.5, 1.7, -0.6, 0.35, -1.1, 0.8, -0.45,  //
      0.5, -0.7, 1.3, -1.9, -0.25, 0.6, -1.4, 2.1, -0.9, 0.3, -2.2, 1.0,     //
      -0.8, 1.6, -0.2, 0.7, 1.1, -1.5, 0.45, -0.35, 2.4, -0.65, 0.2, -1.8;
  for (std::vector<int> shared : {std::vector<int>{}, std::vector<int>{1}, std::vector<int>{1, 2}, std::vector<int>{2}}) {
    CAPTURE(shared.size());
    nn::PReLU layer({.shared_axes = shared, .alpha_initializer = "random_uniform"});
    Rng rng(3);
    layer.build(Shape{2, 3, 2}, rng);
    CHECK(testing::check_layer_gradients(layer, x) < testing::kTolerance);
  }
}

TEST_CASE("PReLU: the alpha regularizer's penalty and gradient, the constraint, frozen weights") {
  nn::PReLU layer({.alpha_initializer = nn::Constant(-0.5), .alpha_regularizer = nn::L2(0.1),
                   .alpha_constraint = nn::NonNeg()});
  Rng rng(0);
  layer.build(Shape{2}, rng);
  CHECK(layer.regularization_loss() == doctest::Approx(0.1 * (0.25 + 0.25)));
  const Matrix x = row({-1, 2});
  layer.forward(x, true);
  layer.backward(row({1, 1}));
  // dalpha = dy * min(x, 0) + 2 * 0.1 * alpha = [-1 - 0.1, 0 - 0.1].
  CHECK(close(layer.alpha().grad, row({-1.1, -0.1})));
  layer.apply_constraints();
  CHECK(layer.alpha().value.isZero());
  layer.set_trainable(false);
  CHECK(layer.regularization_loss() == 0.0);
}

TEST_CASE("PReLU config: Keras's keys; shared_axes null, a list, or an int read as a list") {
  nn::PReLU layer({.shared_axes = {1, 2}, .alpha_initializer = nn::Constant(0.25), .name = "p"});
  const json written = nn::layer_to_json(layer);
  CHECK(written == json::parse(R"({"class_name": "PReLU", "config": {"name": "p",
      "alpha_initializer": {"class_name": "Constant", "config": {"value": 0.25}}, "alpha_regularizer": null,
      "alpha_constraint": null, "shared_axes": [1, 2], "trainable": true, "dtype": "float32"}})"));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "w")) == written);
  CHECK(nn::PReLU().config()["shared_axes"].is_null());
  CHECK(nn::PReLU().config()["alpha_initializer"]["class_name"] == "Zeros");
  auto one = nn::layer_from_json(json::parse(R"({"class_name": "PReLU", "config": {"shared_axes": 2}})"), "o");
  CHECK(dynamic_cast<nn::PReLU&>(*one).options().shared_axes == std::vector<int>{2});
}

TEST_CASE("PReLU errors name the layer, the axes and the shape") {
  CHECK_THROWS_WITH_AS(nn::PReLU({.shared_axes = {0}}),
                       "PReLU: invalid shared_axes. Expected axes >= 1 (axis 0 is the batch); received shared_axes "
                       "containing 0.",
                       Error);
  nn::PReLU layer({.shared_axes = {1, 3}, .name = "p"});
  Rng rng(0);
  CHECK_THROWS_WITH_AS(layer.build(Shape{4, 5}, rng),
                       "PReLU 'p': shared_axes names axis 3, but samples of shape (4, 5) have axes 1 to 2.", Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "PReLU", "config": {"shared_axes": [1, "2"]}})"), "x"),
      doctest::Contains("x.config.shared_axes: expected axes >= 1 (axis 0 is the batch); received [1,\"2\"]"), Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "PReLU", "config": {"alpha_initializer": "glorot"}})"), "x"),
      doctest::Contains("x.config: Unknown initializer \"glorot\""), Error);
  CHECK_THROWS_WITH_AS(nn::PReLU({.name = "q"}).forward(Matrix::Ones(1, 2), false),
                       "PReLU 'q': used before build().", Error);
}
