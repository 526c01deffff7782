// LayerNormalization: per-sample statistics by hand, the same output in training and inference, gradients,
// configs and errors.
#include "support/matrices.hpp"

#include <descent/nn/registry.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using testing::uniform_matrix;
using testing::row;
using testing::close;
using nlohmann::json;

TEST_CASE("LayerNormalization normalizes each sample over its features, by hand") {
  nn::LayerNormalization ln;
  Rng rng(0);
  ln.build(3, rng);
  CHECK(ln.gamma().value == row({1, 1, 1}));
  CHECK(ln.beta().value == row({0, 0, 0}));
  ln.gamma().value = row({1, 2, -1});
  ln.beta().value = row({0, 0.5, 1});
  Matrix x(3, 3);
  x << 1, 2, 3,  //
      2, 2, 2,   //
      -4, 0, 1;
  // Row 0: mean 2, biased variance 2/3. Row 1: variance 0, so xhat = 0 and y = beta. Row 2: mean -1, variance
  // (9 + 1 + 4) / 3 = 14/3.
  const double s0 = 1 / std::sqrt(2 / 3.0 + 0.001), s2 = 1 / std::sqrt(14 / 3.0 + 0.001);
  Matrix expected(3, 3);
  expected << -s0, 0 + 0.5, -s0 + 1,  //
      0, 0.5, 1,                       //
      -3 * s2, 2 * s2 + 0.5, -2 * s2 + 1;
  CHECK(close(ln.forward(x, true), expected));
  CHECK(close(ln.forward(x, false), expected));  // no batch statistics: inference is the same
  ln.set_trainable(false);
  CHECK(close(ln.forward(x, true), expected));
}

TEST_CASE("LayerNormalization gradients match central differences") {
  for (bool scale : {true, false}) {
    for (bool center : {true, false}) {
      CAPTURE(scale);
      CAPTURE(center);
      nn::LayerNormalization ln({.center = center, .scale = scale});
      Rng rng(1);
      ln.build(4, rng);
      if (scale) ln.gamma().value = row({1.5, -0.5, 2, 0.7});
      if (center) ln.beta().value = row({0.1, -0.2, 0.3, 0});
      CHECK(ln.params().size() == std::size_t(scale) + std::size_t(center));
      double error = testing::check_layer_gradients(ln, uniform_matrix(5, 4, 2));
      CAPTURE(error);
      CHECK(error < testing::kTolerance);
    }
  }
}

TEST_CASE("LayerNormalization backward: each row of dx sums to zero; dbeta = sum dy; dgamma = sum dy * xhat") {
  // Adding a constant to a sample shifts its mean by the same amount, so the output, and L, do not change.
  nn::LayerNormalization ln;
  Rng rng(2);
  ln.build(3, rng);
  ln.gamma().value = row({2, -1, 0.5});
  Matrix x = uniform_matrix(6, 3, 3);
  Matrix dy = uniform_matrix(6, 3, 4);
  ln.forward(x, true);
  Matrix dx = ln.backward(dy);
  CHECK(dx.rowwise().sum().cwiseAbs().maxCoeff() < 1e-4 * dx.cwiseAbs().maxCoeff());
  CHECK(close(ln.beta().grad, dy.colwise().sum()));
  // xhat by an independent loop in double.
  Matrix dgamma = Matrix::Zero(1, 3);
  for (Index i = 0; i < 6; ++i) {
    double mean = 0, var = 0;
    for (Index j = 0; j < 3; ++j) mean += x(i, j) / 3.0;
    for (Index j = 0; j < 3; ++j) var += (x(i, j) - mean) * (x(i, j) - mean) / 3.0;
    for (Index j = 0; j < 3; ++j)
      dgamma(0, j) += static_cast<Scalar>(dy(i, j) * (x(i, j) - mean) / std::sqrt(var + 1e-3));
  }
  CHECK(close(ln.gamma().grad, dgamma));
  ln.set_input_gradient_needed(false);
  CHECK(ln.backward(dy).size() == 0);
}

TEST_CASE("LayerNormalization config is Keras 3's and round-trips through a model's JSON") {
  nn::LayerNormalization ln({.epsilon = 1e-6, .scale = false, .name = "ln"});
  json c = nn::layer_to_json(ln);
  CHECK(c["class_name"] == "LayerNormalization");
  const json& k = c["config"];
  CHECK(k["name"] == "ln");
  CHECK(k["axis"] == -1);
  CHECK(k["epsilon"] == 1e-6);
  CHECK(k["center"] == true);
  CHECK(k["scale"] == false);
  CHECK(k["gamma_initializer"] == json::parse(R"({"class_name": "Ones", "config": {}})"));
  CHECK(k["beta_regularizer"].is_null());
  CHECK(nn::layer_to_json(nn::LayerNormalization())["config"]["epsilon"] == 0.001);  // Keras 3's default

  nn::Sequential model;
  model.add(nn::Input(4));
  model.add(nn::Dense(3));
  model.add(nn::LayerNormalization({.beta_constraint = nn::NonNeg()}));
  CHECK(model.layer(1).name() == "layer_normalization");
  CHECK(model.count_params() == 4 * 3 + 3 + 3 + 3);
  nn::Sequential again = nn::model_from_json(model.to_json());
  CHECK(again.to_json() == model.to_json());
  CHECK(nn::layer_to_json(again.layer(1))["config"]["beta_constraint"]["class_name"] == "NonNeg");
}

TEST_CASE("LayerNormalization reads Keras 3 and Keras 2 configs; refuses rms_scaling and other axes") {
  // Keras 3 writes the built axis as a list and rms_scaling false.
  auto k3 = nn::layer_from_json(json::parse(R"({"class_name": "LayerNormalization", "config": {"name": "ln",
      "trainable": true, "dtype": "float32", "axis": [-1], "epsilon": 0.001, "center": true, "scale": true,
      "rms_scaling": false, "beta_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
      "registered_name": null}, "gamma_initializer": {"module": "keras.initializers", "class_name": "Ones",
      "config": {}, "registered_name": null}, "beta_regularizer": null, "gamma_regularizer": null,
      "beta_constraint": null, "gamma_constraint": null}})"), "k3");
  CHECK(k3->class_name() == "LayerNormalization");
  auto k2 = nn::layer_from_json(json::parse(R"({"class_name": "LayerNormalization", "config": {"axis": [1]}})"), "k2");
  CHECK(dynamic_cast<nn::LayerNormalization&>(*k2).options().axis == 1);
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "LayerNormalization", "config":
      {"rms_scaling": true}})"), "x"),
                       doctest::Contains("x.config.rms_scaling: rms_scaling is not supported. Expected false"), Error);
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "LayerNormalization", "config":
      {"axis": [1, 2]}})"), "x"),
                       doctest::Contains("x.config.axis: only the last axis"), Error);
  CHECK_THROWS_WITH_AS(nn::LayerNormalization({.axis = 0}),
                       doctest::Contains("LayerNormalization: only the last axis"), Error);
  CHECK_THROWS_WITH_AS(nn::LayerNormalization({.epsilon = -0.5}), doctest::Contains("received epsilon=-0.5"), Error);
  nn::LayerNormalization ln({.name = "ln"});
  CHECK_THROWS_WITH_AS(ln.forward(Matrix::Ones(1, 2), false),
                       doctest::Contains("LayerNormalization 'ln': used before build()"), Error);
}
