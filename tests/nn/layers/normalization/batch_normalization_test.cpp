// BatchNormalization: batch statistics and moving averages by hand, inference and frozen modes, gradients through
// the batch statistics, summary counts, configs, saving, and training in a model.
#include "support/matrices.hpp"

#include <descent/nn/registry.hpp>

#include <doctest/doctest.h>

#include "support/temp_dir.hpp"
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

#include <unistd.h>

using namespace descent;
using testing::uniform_matrix;
using testing::row;
using testing::close;
using nlohmann::json;
namespace fs = std::filesystem;

TEST_CASE("BatchNormalization moving statistics after two known batches, by hand") {
  nn::BatchNormalization bn({.momentum = 0.9});
  Rng rng(0);
  bn.build(2, rng);
  CHECK(bn.moving_mean().value == row({0, 0}));
  CHECK(bn.moving_variance().value == row({1, 1}));
  bn.gamma().value = row({2, 1});
  bn.beta().value = row({0.5, -1});

  // Batch 1: means (3, 6); biased variances ((-2)^2 + 0 + 2^2) / 3 = 8/3 and (4^2 + 0 + 4^2) / 3 = 32/3.
  Matrix x1(3, 2);
  x1 << 1, 2, 3, 6, 5, 10;
  bn.forward(x1, true);
  CHECK(close(bn.moving_mean().value, row({0.1 * 3, 0.1 * 6})));
  CHECK(close(bn.moving_variance().value, row({0.9 + 0.1 * 8 / 3.0, 0.9 + 0.1 * 32 / 3.0})));

  // Batch 2: means (1, 0), biased variances 1 and 1.
  Matrix x2(2, 2);
  x2 << 0, -1, 2, 1;
  const Matrix y = bn.forward(x2, true);
  CHECK(close(bn.moving_mean().value, row({0.9 * 0.3 + 0.1 * 1, 0.9 * 0.6 + 0.1 * 0})));
  CHECK(close(bn.moving_variance().value,
              row({0.9 * (0.9 + 0.1 * 8 / 3.0) + 0.1 * 1, 0.9 * (0.9 + 0.1 * 32 / 3.0) + 0.1 * 1})));
  // The output uses the batch statistics: xhat = (-1, 1) / sqrt(1 + 0.001) in both columns.
  const double s = 1 / std::sqrt(1.001);
  Matrix expected(2, 2);
  expected << 2 * -s + 0.5, -s - 1, 2 * s + 0.5, s - 1;
  CHECK(close(y, expected));
}

TEST_CASE("BatchNormalization at inference uses the moving statistics and leaves them unchanged") {
  nn::BatchNormalization bn({.epsilon = 0.01});
  Rng rng(0);
  bn.build(2, rng);
  bn.gamma().value = row({2, -1});
  bn.beta().value = row({0.25, 3});
  bn.moving_mean().value = row({1, -2});
  bn.moving_variance().value = row({4, 0.5});
  Matrix x(2, 2);
  x << 3, 0, -1, -2;
  const Matrix y = bn.forward(x, false);
  Matrix expected(2, 2);
  expected << 2 * (3 - 1) / std::sqrt(4.01) + 0.25, -1 * (0 + 2) / std::sqrt(0.51) + 3,  //
      2 * (-1 - 1) / std::sqrt(4.01) + 0.25, -1 * (-2 + 2) / std::sqrt(0.51) + 3;
  CHECK(close(y, expected));
  CHECK(bn.moving_mean().value == row({1, -2}));
  CHECK(bn.moving_variance().value == row({4, 0.5}));
  // Backward with fixed statistics: dx = dy * gamma / sqrt(moving_variance + epsilon).
  Matrix dy(2, 2);
  dy << 1, 1, 0.5, -2;
  Matrix dx_expected(2, 2);
  dx_expected << 2 / std::sqrt(4.01), -1 / std::sqrt(0.51), 0.5 * 2 / std::sqrt(4.01), -2 * -1 / std::sqrt(0.51);
  CHECK(close(bn.backward(dy), dx_expected));
}

TEST_CASE("A frozen BatchNormalization runs in inference mode even in training, as in Keras 3") {
  nn::BatchNormalization bn;
  Rng rng(0);
  bn.build(3, rng);
  bn.moving_mean().value = row({0.5, -1, 2});
  bn.moving_variance().value = row({2, 0.25, 1});
  Matrix x = uniform_matrix(5, 3, 1);
  const Matrix inference = bn.forward(x, false);
  bn.set_trainable(false);
  CHECK(bn.forward(x, true) == inference);
  CHECK(bn.moving_mean().value == row({0.5, -1, 2}));
  CHECK(bn.moving_variance().value == row({2, 0.25, 1}));
}

TEST_CASE("BatchNormalization gradients match central differences, through the batch statistics") {
  for (bool scale : {true, false}) {
    for (bool center : {true, false}) {
      CAPTURE(scale);
      CAPTURE(center);
      nn::BatchNormalization bn({.center = center, .scale = scale});
      Rng rng(3);
      bn.build(3, rng);
      if (scale) bn.gamma().value = row({1.5, -0.5, 2});
      if (center) bn.beta().value = row({0.1, -0.2, 0.3});
      CHECK(bn.params().size() == std::size_t(scale) + std::size_t(center));
      double error = testing::check_layer_gradients(bn, uniform_matrix(6, 3, 4));
      CAPTURE(error);
      CHECK(error < testing::kTolerance);
    }
  }
}

TEST_CASE("BatchNormalization gradients with the moving statistics (frozen) match central differences") {
  nn::BatchNormalization bn;
  Rng rng(3);
  bn.build(3, rng);
  bn.gamma().value = row({1.5, -0.5, 2});
  bn.moving_mean().value = row({0.2, -0.1, 0.4});
  bn.moving_variance().value = row({0.5, 2, 1.5});
  bn.set_trainable(false);
  double error = testing::check_layer_gradients(bn, uniform_matrix(4, 3, 5));
  CAPTURE(error);
  CHECK(error < testing::kTolerance);
}

TEST_CASE("BatchNormalization training backward: dx sums to zero over the batch, dbeta = sum dy") {
  // The output does not change when a constant is added to a column (the batch mean absorbs it), so the column sums
  // of dx vanish whatever dy is.
  nn::BatchNormalization bn;
  Rng rng(1);
  bn.build(4, rng);
  bn.gamma().value = row({1, 2, -1, 0.5});
  Matrix x = uniform_matrix(8, 4, 6);
  Matrix dy = uniform_matrix(8, 4, 7);
  bn.forward(x, true);
  Matrix dx = bn.backward(dy);
  CHECK(dx.colwise().sum().cwiseAbs().maxCoeff() < 1e-4 * dx.cwiseAbs().maxCoeff());
  CHECK(close(bn.beta().grad, dy.colwise().sum()));
  bn.set_input_gradient_needed(false);
  bn.forward(x, true);
  CHECK(bn.backward(dy).size() == 0);
  CHECK(close(bn.beta().grad, dy.colwise().sum()));  // the weights' gradients are still set
}

TEST_CASE("BatchNormalization weights: gamma, beta trainable; moving statistics non-trainable; summary counts") {
  nn::Sequential model;
  model.add(nn::Input(4));
  model.add(nn::BatchNormalization());
  auto& bn = model.layer(0);
  CHECK(bn.name() == "batch_normalization");
  REQUIRE(bn.params().size() == 2);
  CHECK(bn.params()[0]->name == "gamma");
  CHECK(bn.params()[1]->name == "beta");
  REQUIRE(bn.non_trainable_params().size() == 2);
  CHECK(bn.non_trainable_params()[0]->name == "moving_mean");
  CHECK(bn.non_trainable_params()[1]->name == "moving_variance");
  for (Param* p : bn.weights()) {
    CHECK(p->value.rows() == 1);
    CHECK(p->value.cols() == 4);
    CHECK(p->shape == Shape{4});
  }
  CHECK(model.count_params() == 16);
  CHECK(model.trainable_weights().size() == 2);
  const std::string summary = model.summary_text();
  CAPTURE(summary);
  const std::string bytes8 = std::to_string(8 * sizeof(Scalar)) + ".00 B";
  CHECK(summary.find("Total params: 16 (" + std::to_string(16 * sizeof(Scalar)) + ".00 B)") != std::string::npos);
  CHECK(summary.find(" Trainable params: 8 (" + bytes8 + ")") != std::string::npos);
  CHECK(summary.find("Non-trainable params: 8 (" + bytes8 + ")") != std::string::npos);
  CHECK(summary.find("batch_normalization (BatchNormalization)") != std::string::npos);

  nn::BatchNormalization plain({.center = false, .scale = false});
  Rng rng(0);
  plain.build(4, rng);
  CHECK(plain.params().empty());
  CHECK(plain.non_trainable_params().size() == 2);
}

TEST_CASE("BatchNormalization in a model: predict leaves the moving statistics alone, fit moves them") {
  Matrix x = uniform_matrix(40, 3, 8);
  Matrix y = x.col(0) - x.col(1);
  nn::Sequential model({.seed = 3});
  model.add(nn::Input(3));
  model.add(nn::Dense(4));
  model.add(nn::BatchNormalization());
  model.add(nn::Dense(1));
  model.compile("mse", "sgd");
  auto& bn = dynamic_cast<nn::BatchNormalization&>(model.layer(1));
  const Matrix mean0 = bn.moving_mean().value, var0 = bn.moving_variance().value;
  model.predict(x);
  model.evaluate(x, y);
  CHECK(bn.moving_mean().value == mean0);
  CHECK(bn.moving_variance().value == var0);
  model.fit(x, y, {.epochs = 1, .batch_size = 8, .verbose = 0});
  CHECK(bn.moving_mean().value != mean0);
  CHECK(bn.moving_variance().value != var0);
}

TEST_CASE("A frozen BatchNormalization in a model is not updated by fit; the other layers are") {
  Matrix x = uniform_matrix(40, 3, 9);
  Matrix y = x.col(0) + x.col(2);
  nn::Sequential model({.seed = 4});
  model.add(nn::Input(3));
  model.add(nn::Dense(4));
  model.add(nn::BatchNormalization({.beta_initializer = "random_uniform", .gamma_initializer = "random_uniform"}));
  model.add(nn::Dense(1));
  model.layer(1).set_trainable(false);
  model.compile("mse", "sgd");
  const std::vector<Matrix> before = model.get_weights();  // kernel, bias, gamma, beta, mean, variance, kernel, bias
  CHECK(model.trainable_weights().size() == 4);
  CHECK(model.summary_text().find("Non-trainable params: 16 (") != std::string::npos);
  model.fit(x, y, {.epochs = 2, .batch_size = 8, .verbose = 0});
  const std::vector<Matrix> after = model.get_weights();
  REQUIRE(after.size() == 8);
  for (std::size_t k = 2; k < 6; ++k) CHECK(after[k] == before[k]);
  CHECK(after[0] != before[0]);
  CHECK(after[6] != before[6]);
  // Its training forward equals the inference forward.
  Matrix h = model.layer(0).forward(x, false);
  Matrix inference = model.layer(1).forward(h, false);
  CHECK(model.layer(1).forward(h, true) == inference);
}

TEST_CASE("BatchNormalization config is Keras's and round-trips through a model's JSON") {
  nn::BatchNormalization bn({.momentum = 0.9, .epsilon = 1e-5, .center = false, .name = "bn"});
  json c = nn::layer_to_json(bn);
  CHECK(c["class_name"] == "BatchNormalization");
  const json& k = c["config"];
  CHECK(k["name"] == "bn");
  CHECK(k["axis"] == -1);
  CHECK(k["momentum"] == 0.9);
  CHECK(k["epsilon"] == 1e-5);
  CHECK(k["center"] == false);
  CHECK(k["scale"] == true);
  CHECK(k["beta_initializer"] == json::parse(R"({"class_name": "Zeros", "config": {}})"));
  CHECK(k["gamma_initializer"] == json::parse(R"({"class_name": "Ones", "config": {}})"));
  CHECK(k["moving_mean_initializer"] == json::parse(R"({"class_name": "Zeros", "config": {}})"));
  CHECK(k["moving_variance_initializer"] == json::parse(R"({"class_name": "Ones", "config": {}})"));
  for (const char* key : {"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"}) {
    CAPTURE(key);
    REQUIRE(k.contains(key));
    CHECK(k[key].is_null());
  }

  nn::Sequential model;
  model.add(nn::Input(3));
  model.add(nn::Dense(2));
  model.add(nn::BatchNormalization({.momentum = 0.8}));
  model.layer(1).set_trainable(false);
  nn::Sequential again = nn::model_from_json(model.to_json());
  CHECK(again.to_json() == model.to_json());
  CHECK(dynamic_cast<nn::BatchNormalization&>(again.layer(1)).options().momentum == 0.8);
  CHECK(again.layer(1).trainable() == false);
}

TEST_CASE("BatchNormalization reads Keras 2, Keras 3 and TF.js configs") {
  // Keras 2 writes the built axis as a list of positive axes.
  auto k2 = nn::layer_from_json(json::parse(R"({"class_name": "BatchNormalization", "config": {"name":
      "batch_normalization", "trainable": true, "dtype": "float32", "axis": [1], "momentum": 0.99, "epsilon": 0.001,
      "center": true, "scale": true, "beta_initializer": {"class_name": "Zeros", "config": {}}, "gamma_initializer":
      {"class_name": "Ones", "config": {}}, "moving_mean_initializer": {"class_name": "Zeros", "config": {}},
      "moving_variance_initializer": {"class_name": "Ones", "config": {}}, "beta_regularizer": null,
      "gamma_regularizer": null, "beta_constraint": null, "gamma_constraint": null}})"), "k2");
  CHECK(dynamic_cast<nn::BatchNormalization&>(*k2).options().epsilon == 0.001);
  // The newest Keras 3 adds synchronized and renorm keys.
  auto k3 = nn::layer_from_json(json::parse(R"({"class_name": "BatchNormalization", "config": {"name": "bn",
      "axis": -1, "momentum": 0.9, "synchronized": false, "renorm": false, "renorm_clipping": null,
      "renorm_momentum": 0.99, "gamma_regularizer": {"class_name": "L2", "config": {"l2": 0.01}}}})"), "k3");
  CHECK(dynamic_cast<nn::BatchNormalization&>(*k3).options().momentum == 0.9);
  CHECK(nn::layer_to_json(*k3)["config"]["gamma_regularizer"]["class_name"] == "L2");
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "BatchNormalization", "config":
      {"renorm": true}})"), "x"),
                       doctest::Contains("x.config.renorm: batch renormalization is not supported"), Error);
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "BatchNormalization", "config":
      {"axis": 0}})"), "x"),
                       doctest::Contains("x.config.axis: only the last axis"), Error);
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "BatchNormalization", "config":
      {"momentun": 0.9}})"), "x"),
                       doctest::Contains("x.config.momentun: unknown key"), Error);
}

TEST_CASE("BatchNormalization rejects invalid options") {
  CHECK_THROWS_WITH_AS(nn::BatchNormalization({.axis = 0}),
                       doctest::Contains("BatchNormalization: only the last axis (the features or channels) is supported. "
                                         "Expected axis=-1 (or the last axis of the batched input); received axis=0."),
                       Error);
  CHECK_THROWS_WITH_AS(nn::BatchNormalization({.momentum = 1.5}),
                       doctest::Contains("Expected 0 <= momentum <= 1; received momentum=1.5"), Error);
  CHECK_THROWS_WITH_AS(nn::BatchNormalization({.epsilon = -1}), doctest::Contains("received epsilon=-1"), Error);
  CHECK_THROWS_AS(nn::BatchNormalization({.moving_variance_initializer = "nonsense"}), Error);
  nn::BatchNormalization bn({.name = "bn"});
  Rng rng(0);
  bn.build(3, rng);
  CHECK_THROWS_WITH_AS(bn.forward(Matrix::Ones(2, 4), true),
                       doctest::Contains("BatchNormalization 'bn': expected input with 3 columns"), Error);
}

TEST_CASE("BatchNormalization's gamma regularizer adds its penalty and gradient") {
  nn::BatchNormalization bn({.gamma_regularizer = nn::L2(0.1)});
  Rng rng(0);
  bn.build(2, rng);
  bn.gamma().value = row({2, -3});
  Matrix x = uniform_matrix(4, 2, 10);
  Matrix dy = Matrix::Zero(4, 2);
  bn.forward(x, true);
  CHECK(bn.regularization_loss() == doctest::Approx(0.1 * (4 + 9)));
  bn.backward(dy);
  CHECK(close(bn.gamma().grad, row({0.1 * 2 * 2, 0.1 * 2 * -3})));
  bn.set_trainable(false);
  CHECK(bn.regularization_loss() == 0.0);  // Keras counts penalties of trainable weights only
}

TEST_CASE("Saving and loading a model keeps BatchNormalization's moving statistics") {
  Matrix x = uniform_matrix(32, 3, 11);
  Matrix y = x.col(0).array().square().matrix();
  nn::Sequential model({.seed = 5});
  model.add(nn::Input(3));
  model.add(nn::Dense(5, {.activation = "relu"}));
  model.add(nn::BatchNormalization());
  model.add(nn::Dense(1));
  model.compile("mse", "adam");
  model.fit(x, y, {.epochs = 3, .batch_size = 8, .verbose = 0});
  auto& bn = dynamic_cast<nn::BatchNormalization&>(model.layer(1));
  testing::TempDir tmp("bn");
  const std::string dir = (tmp.path / "model").string();
  model.save(dir);
  nn::Sequential loaded = nn::load_model(dir);
  auto& again = dynamic_cast<nn::BatchNormalization&>(loaded.layer(1));
  // weights.bin holds float32: exact in the float build, rounded to float in the double build.
  auto stored = [](const Matrix& m) { return Matrix(m.cast<float>().cast<Scalar>()); };
  CHECK(again.moving_mean().value == stored(bn.moving_mean().value));
  CHECK(again.moving_variance().value == stored(bn.moving_variance().value));
  CHECK(again.gamma().value == stored(bn.gamma().value));
  CHECK(again.beta().value == stored(bn.beta().value));
  CHECK(bn.moving_mean().value != Matrix::Zero(1, 5));
  if constexpr (std::is_same_v<Scalar, float>) CHECK(loaded.predict(x) == model.predict(x));
}

TEST_CASE("Dense, BatchNormalization and Dropout train together: the loss falls") {
  Dataset d = data::make_moons({.samples = 200, .noise = 0.1, .seed = 3});
  nn::Sequential model({.seed = 11});
  model.add(nn::Input(2));
  model.add(nn::Dense(16, {.activation = "relu"}));
  model.add(nn::BatchNormalization());
  model.add(nn::Dropout(0.2));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));
  model.compile("binary_crossentropy", optim::Adam({.learning_rate = 0.01}), {"accuracy"});
  nn::History h = model.fit(d.x, d.y, {.epochs = 30, .batch_size = 32, .verbose = 0});
  const auto& loss = h["loss"];
  CAPTURE(loss.front());
  CAPTURE(loss.back());
  CHECK(loss.back() < 0.6 * loss.front());
  CHECK(model.evaluate(d.x, d.y).at("accuracy") > 0.85);
}
