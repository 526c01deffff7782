// GaussianNoise: identity at inference, N(0, stddev^2) noise in training, dx = dy, seeds, configs and errors.
#include "support/matrices.hpp"

#include <descent/nn/registry.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using testing::uniform_matrix;
using nlohmann::json;

namespace {

nn::GaussianNoise built_noise(double stddev, nn::GaussianNoiseOptions options, Index features,
                              std::uint64_t build_seed = 1) {
  nn::GaussianNoise layer(stddev, std::move(options));
  Rng rng(build_seed);
  layer.build(features, rng);
  return layer;
}

}  // namespace

TEST_CASE("GaussianNoise is the identity at inference and when stddev = 0") {
  Matrix x = uniform_matrix(5, 3, 1);
  auto layer = built_noise(0.5, {.seed = 1}, 3);
  CHECK(layer.forward(x, false) == x);
  auto quiet = built_noise(0.0, {}, 3);
  CHECK(quiet.forward(x, true) == x);
}

TEST_CASE("GaussianNoise adds zero-mean noise with the given standard deviation in training") {
  const double stddev = 0.3;
  const Index rows = 4000, cols = 5;  // N = 20,000 draws
  Matrix x = uniform_matrix(rows, cols, 2);
  auto layer = built_noise(stddev, {.seed = 3}, cols);
  Eigen::ArrayXd noise = (layer.forward(x, true) - x).cast<double>().reshaped().array();
  const double n = static_cast<double>(noise.size());
  const double mean = noise.mean();
  const double var = (noise - mean).square().sum() / (n - 1);
  // Bounds of 5 standard errors: the mean's is stddev / sqrt(N); the sample variance's is about
  // stddev^2 sqrt(2 / N) for normal data.
  CHECK(std::abs(mean) < 5 * stddev / std::sqrt(n));
  CHECK(std::abs(var - stddev * stddev) < 5 * stddev * stddev * std::sqrt(2 / n));
  // Normal tails: about 0.27% of draws lie beyond 3 stddev, none (in practice) beyond 6.
  const double beyond3 = (noise.abs() > 3 * stddev).cast<double>().sum() / n;
  CHECK(beyond3 < 0.006);
  CHECK((noise.abs() > 6 * stddev).count() == 0);
}

TEST_CASE("GaussianNoise passes the gradient through unchanged") {
  Matrix x = uniform_matrix(4, 3, 4);
  Matrix w = uniform_matrix(4, 3, 5);
  auto layer = built_noise(0.5, {.seed = 6}, 3);
  layer.forward(x, true);
  CHECK(layer.backward(w) == w);
  // Finite differences with the noise held fixed: a freshly built layer with the same seed draws the same noise.
  auto objective = [&] {
    auto fresh = built_noise(0.5, {.seed = 6}, 3);
    return (fresh.forward(x, true).cast<double>().array() * w.cast<double>().array()).sum();
  };
  CHECK(testing::relative_error(w, testing::numeric_gradient(x, objective)) < testing::kTolerance);
  layer.set_input_gradient_needed(false);
  CHECK(layer.backward(w).size() == 0);
}

TEST_CASE("GaussianNoise follows its seed, or the build rng when it has none") {
  Matrix x = uniform_matrix(6, 4, 7);
  auto a = built_noise(0.2, {.seed = 9}, 4, 1);
  auto b = built_noise(0.2, {.seed = 9}, 4, 2);
  Matrix ya = a.forward(x, true);
  CHECK(ya == b.forward(x, true));
  CHECK(a.forward(x, true) != ya);  // fresh noise on every call
  auto c = built_noise(0.2, {}, 4, 5);
  auto d = built_noise(0.2, {}, 4, 5);
  auto e = built_noise(0.2, {}, 4, 6);
  Matrix yc = c.forward(x, true);
  CHECK(yc == d.forward(x, true));
  CHECK(yc != e.forward(x, true));
}

TEST_CASE("GaussianNoise config is Keras's, and round-trips through a model's JSON") {
  nn::GaussianNoise layer(0.1, {.seed = 3, .name = "noise"});
  json c = nn::layer_to_json(layer);
  CHECK(c["class_name"] == "GaussianNoise");
  CHECK(c["config"]["stddev"] == 0.1);
  CHECK(c["config"]["seed"] == 3);
  CHECK(c["config"]["name"] == "noise");

  nn::Sequential model;
  model.add(nn::Input(2));
  model.add(nn::GaussianNoise(0.2));
  model.add(nn::Dense(1));
  CHECK(model.layer(0).name() == "gaussian_noise");
  nn::Sequential again = nn::model_from_json(model.to_json());
  CHECK(dynamic_cast<nn::GaussianNoise&>(again.layer(0)).stddev() == 0.2);
  CHECK(again.to_json() == model.to_json());
  // TF.js writes only stddev.
  auto tfjs = nn::layer_from_json(json::parse(R"({"class_name": "GaussianNoise", "config": {"stddev": 0.5,
      "name": "gaussian_noise_GaussianNoise1", "trainable": true}})"), "t");
  CHECK(dynamic_cast<nn::GaussianNoise&>(*tfjs).stddev() == 0.5);
}

TEST_CASE("GaussianNoise rejects a stddev outside [0, 1], as Keras 3") {
  for (double stddev : {-0.1, 1.5, std::nan("")}) {
    CAPTURE(stddev);
    CHECK_THROWS_WITH_AS(nn::GaussianNoise{stddev},
                         doctest::Contains("GaussianNoise: invalid stddev. Expected 0 <= stddev <= 1"), Error);
  }
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "GaussianNoise", "config": {}})"), "x"),
                       doctest::Contains("x.config.stddev: missing"), Error);
}
