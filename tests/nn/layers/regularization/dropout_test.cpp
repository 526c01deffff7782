// Dropout: identity at inference, the drop fraction and 1 / (1 - rate) scale in training, an unbiased output, seeded
// masks, the backward pass through the same mask, configs and errors.
#include "support/gradient_check.hpp"

#include <descent/nn/registry.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>

using namespace descent;
using nlohmann::json;

namespace {

// Values in [-1, -0.1] and [0.1, 1]: never zero, so a zero output means a dropped input.
Matrix nonzero_inputs(Index rows, Index cols, std::uint64_t seed) {
  Rng rng(seed);
  Matrix x(rows, cols);
  for (Index i = 0; i < x.size(); ++i) {
    double v = 0.1 + 0.9 * uniform01(rng);
    x.data()[i] = static_cast<Scalar>(uniform01(rng) < 0.5 ? -v : v);
  }
  return x;
}

nn::Dropout built_dropout(double rate, nn::DropoutOptions options, Index features, std::uint64_t build_seed = 1) {
  nn::Dropout layer(rate, std::move(options));
  Rng rng(build_seed);
  layer.build(features, rng);
  return layer;
}

}  // namespace

TEST_CASE("Dropout is the identity at inference and when rate = 0") {
  Matrix x = nonzero_inputs(6, 4, 1);
  auto layer = built_dropout(0.5, {.seed = 3}, 4);
  CHECK(layer.forward(x, false) == x);
  auto none = built_dropout(0.0, {}, 4);
  CHECK(none.forward(x, true) == x);
  Matrix dy = nonzero_inputs(6, 4, 2);
  CHECK(none.backward(dy) == dy);
}

TEST_CASE("Dropout in training zeroes about `rate` of the inputs and scales the rest by exactly 1 / (1 - rate)") {
  for (double rate : {0.1, 0.3, 0.75}) {
    CAPTURE(rate);
    const Index rows = 200, cols = 50;  // N = 10,000 independent draws
    Matrix x = nonzero_inputs(rows, cols, 5);
    auto layer = built_dropout(rate, {.seed = 11}, cols);
    const Matrix& y = layer.forward(x, true);
    const Scalar scale = static_cast<Scalar>(1.0 / (1.0 - rate));
    Index zeros = 0, wrong = 0;
    for (Index i = 0; i < y.size(); ++i) {
      if (y.data()[i] == 0) {
        ++zeros;
      } else if (y.data()[i] != x.data()[i] * scale) {
        ++wrong;
      }
    }
    CHECK(wrong == 0);
    // The count of zeros is Binomial(N, rate): within 5 standard deviations except with probability < 1e-6.
    const double n = static_cast<double>(y.size());
    const double sd = std::sqrt(n * rate * (1 - rate));
    CHECK(std::abs(static_cast<double>(zeros) - n * rate) < 5 * sd);
  }
}

TEST_CASE("Dropout keeps the expected output equal to the input") {
  // 20,000 copies of one row: each column mean of the output estimates E[y] = x. The output is x / (1 - rate) with
  // probability 1 - rate and 0 otherwise, so its standard deviation is |x| sqrt(rate / (1 - rate)) and the mean's is
  // that over sqrt(20,000); 5 of those bound the error except with probability < 1e-6 per column.
  const double rate = 0.4;
  const Index copies = 20000;
  Matrix row(1, 5);
  row << 1.0, -2.0, 0.5, 3.0, -0.25;
  Matrix x = row.replicate(copies, 1);
  auto layer = built_dropout(rate, {.seed = 2}, 5);
  const Matrix& y = layer.forward(x, true);
  for (Index j = 0; j < 5; ++j) {
    CAPTURE(j);
    double mean = y.col(j).cast<double>().mean();
    double sd_of_mean = std::abs(double(row(0, j))) * std::sqrt(rate / (1 - rate) / double(copies));
    CHECK(std::abs(mean - double(row(0, j))) < 5 * sd_of_mean);
  }
}

TEST_CASE("Dropout masks follow the seed") {
  Matrix x = nonzero_inputs(8, 6, 4);
  // Same seed: the same mask sequence, whatever rng the layers were built with.
  auto a = built_dropout(0.5, {.seed = 7}, 6, 1);
  auto b = built_dropout(0.5, {.seed = 7}, 6, 99);
  for (int step = 0; step < 3; ++step) {
    Matrix ya = a.forward(x, true);
    CHECK(ya == b.forward(x, true));
  }
  // Consecutive calls draw new masks, and another seed gives other masks.
  auto c = built_dropout(0.5, {.seed = 7}, 6);
  Matrix first = c.forward(x, true);
  CHECK(c.forward(x, true) != first);
  auto d = built_dropout(0.5, {.seed = 8}, 6);
  CHECK(d.forward(x, true) != first);
  // Unseeded: the mask follows the rng the layer is built with (the model's seed).
  auto e = built_dropout(0.5, {}, 6, 21);
  auto f = built_dropout(0.5, {}, 6, 21);
  auto g = built_dropout(0.5, {}, 6, 22);
  Matrix ye = e.forward(x, true);
  CHECK(ye == f.forward(x, true));
  CHECK(ye != g.forward(x, true));
}

TEST_CASE("Dropout backward multiplies dy by the mask and scale of the last forward") {
  const double rate = 0.5;
  Matrix x = nonzero_inputs(5, 4, 8);
  Matrix dy = nonzero_inputs(5, 4, 9);
  auto layer = built_dropout(rate, {.seed = 5}, 4);
  Matrix y = layer.forward(x, true);
  Matrix dx = layer.backward(dy);
  for (Index i = 0; i < x.size(); ++i) {
    // y = x * m with m = 0 or 2, so m = y / x and dx = dy * m.
    Scalar m = y.data()[i] / x.data()[i];
    CHECK((m == 0 || m == doctest::Approx(2.0)));
    CHECK(dx.data()[i] == doctest::Approx(double(dy.data()[i] * m)));
  }
  layer.set_input_gradient_needed(false);
  layer.forward(x, true);
  CHECK(layer.backward(dy).size() == 0);
}

TEST_CASE("Dropout gradient matches central differences with the mask held fixed") {
  // A freshly built layer with a fixed seed draws the same first mask, so L(x) = sum(w .* layer(x)) is a fixed
  // function of x for the finite differences.
  const Index rows = 4, cols = 5;
  Matrix x = nonzero_inputs(rows, cols, 12);
  Matrix w = nonzero_inputs(rows, cols, 13);
  auto objective = [&] {
    auto fresh = built_dropout(0.3, {.seed = 17}, cols);
    return (fresh.forward(x, true).cast<double>().array() * w.cast<double>().array()).sum();
  };
  auto layer = built_dropout(0.3, {.seed = 17}, cols);
  layer.forward(x, true);
  Matrix analytic = layer.backward(w);
  Matrix numeric = testing::numeric_gradient(x, objective);
  CHECK(testing::relative_error(analytic, numeric) < testing::kTolerance);
  CHECK((analytic.array() == 0).any());  // the mask dropped something, so the check covers both cases
}

TEST_CASE("Dropout in a model: predict is deterministic, the same model seed gives the same training run") {
  Matrix x = nonzero_inputs(64, 3, 30);
  Matrix y(64, 1);
  for (Index i = 0; i < 64; ++i) y(i, 0) = x(i, 0) + x(i, 1) > 0 ? 1 : 0;
  auto train = [&](std::uint64_t seed, std::optional<std::uint64_t> dropout_seed) {
    nn::Sequential model({.seed = seed});
    model.add(nn::Input(3));
    model.add(nn::Dense(8, {.activation = "relu"}));
    model.add(nn::Dropout(0.5, {.seed = dropout_seed}));
    model.add(nn::Dense(1, {.activation = "sigmoid"}));
    model.compile("binary_crossentropy", "sgd");
    model.fit(x, y, {.epochs = 2, .batch_size = 16, .verbose = 0});
    return model.get_weights();
  };
  CHECK(train(5, std::nullopt) == train(5, std::nullopt));
  // A seeded Dropout leaves the model's initial weights alone, so only the masks differ between these two runs.
  CHECK(train(5, 1) == train(5, 1));
  CHECK(train(5, 1) != train(5, 2));

  nn::Sequential model({.seed = 1});
  model.add(nn::Input(3));
  model.add(nn::Dense(4));
  model.add(nn::Dropout(0.9));
  Matrix p = model.predict(x);
  CHECK(p == model.predict(x));
  // Inference skips the mask: the output is the Dense layer's alone.
  nn::Sequential dense_only({.seed = 1});
  dense_only.add(nn::Input(3));
  dense_only.add(nn::Dense(4));
  CHECK(p == dense_only.predict(x));
}

TEST_CASE("Dropout config is Keras's, and round-trips through a model's JSON") {
  nn::Dropout layer(0.25, {.seed = 42, .name = "drop"});
  json c = nn::layer_to_json(layer);
  CHECK(c["class_name"] == "Dropout");
  CHECK(c["config"]["name"] == "drop");
  CHECK(c["config"]["rate"] == 0.25);
  CHECK(c["config"]["seed"] == 42);
  CHECK(c["config"]["noise_shape"].is_null());
  CHECK(c["config"]["trainable"] == true);
  CHECK(nn::layer_to_json(nn::Dropout(0.5))["config"]["seed"].is_null());

  nn::Sequential model;
  model.add(nn::Input(3));
  model.add(nn::Dense(2));
  model.add(nn::Dropout(0.3, {.seed = 9}));
  nn::Sequential again = nn::model_from_json(model.to_json());
  REQUIRE(again.size() == 2);
  auto& d = dynamic_cast<nn::Dropout&>(again.layer(1));
  CHECK(d.rate() == 0.3);
  CHECK(d.options().seed == 9u);
  CHECK(again.to_json() == model.to_json());

  // A Keras 3 config with its dtype policy reads.
  auto keras = nn::layer_from_json(json::parse(R"({"class_name": "Dropout", "config": {"name": "dropout",
      "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
      "registered_name": null}, "rate": 0.5, "seed": null, "noise_shape": null}})"), "k");
  CHECK(dynamic_cast<nn::Dropout&>(*keras).rate() == 0.5);
}

TEST_CASE("Dropout rejects rates outside [0, 1) and unsupported options") {
  for (double rate : {-0.1, 1.0, 1.5, std::nan("")}) {
    CAPTURE(rate);
    CHECK_THROWS_WITH_AS(nn::Dropout{rate}, doctest::Contains("Dropout: invalid rate. Expected 0 <= rate < 1"), Error);
  }
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "Dropout", "config": {"rate": 1.0}})"), "x"),
                       doctest::Contains("x.config: Dropout: invalid rate"), Error);
  auto dropout = [](const char* config) {
    return nn::layer_from_json(json{{"class_name", "Dropout"}, {"config", json::parse(config)}}, "x");
  };
  CHECK_THROWS_WITH_AS(
      dropout(R"({"rate": 0.5, "noise_shape": [null, 1]})"),
      doctest::Contains("x.config.noise_shape: noise_shape (one mask shared along an axis) is not supported"), Error);
  CHECK_THROWS_WITH_AS(dropout("{}"), doctest::Contains("x.config.rate: missing"), Error);
  CHECK_THROWS_WITH_AS(dropout(R"({"rate": 0.5, "seed": -1})"),
                       doctest::Contains("x.config.seed: expected a non-negative integer or null"), Error);
  auto layer = built_dropout(0.5, {.name = "dropout_test"}, 3);
  CHECK_THROWS_WITH_AS(layer.forward(Matrix::Ones(2, 4), true),
                       doctest::Contains("Dropout 'dropout_test': expected input with 3 columns"), Error);
}
