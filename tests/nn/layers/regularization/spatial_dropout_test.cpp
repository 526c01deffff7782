// SpatialDropout1D and 2D: whole channels dropped per sample and scaled by 1 / (1 - rate), the identity at inference,
// seeded masks, backward through the same mask, the Keras 3 config (no trainable key) and the errors.
#include "support/matrices.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using nlohmann::json;

namespace {

// Values in [0.5, 1.5]: never zero, so a zero output means a dropped value.
Matrix positive(Index rows, Index cols, std::uint64_t seed) { return testing::uniform_matrix(rows, cols, seed, 0.5, 1.5); }

// The per-(sample, channel) factor y / x, checked to be one factor for all of a channel's positions.
Matrix channel_factors(const Matrix& x, const Matrix& y, Index channels) {
  Matrix f(x.rows(), channels);
  for (Index i = 0; i < x.rows(); ++i)
    for (Index c = 0; c < channels; ++c) {
      f(i, c) = y(i, c) / x(i, c);
      for (Index k = c; k < x.cols(); k += channels) CHECK(y(i, k) == doctest::Approx(double(x(i, k) * f(i, c))));
    }
  return f;
}

}  // namespace

TEST_CASE("SpatialDropout2D drops whole channels: one draw per (sample, channel), survivors scaled by 1 / (1 - rate)") {
  const double rate = 0.4;
  const Index rows = 400, channels = 5;  // 2,000 (sample, channel) draws over (3, 2, 5) samples
  nn::SpatialDropout2D layer(rate, {.seed = 3});
  Rng rng(1);
  layer.build(Shape{3, 2, channels}, rng);
  const Matrix x = positive(rows, 30, 1);
  const Matrix y = layer.forward(x, true);
  const Matrix f = channel_factors(x, y, channels);
  Index dropped = 0;
  for (Index i = 0; i < f.size(); ++i) {
    const double v = f.data()[i];
    CHECK((v == 0 || v == doctest::Approx(1 / (1 - rate))));
    dropped += v == 0;
  }
  // Binomial(2000, 0.4): within 5 standard deviations except with probability < 1e-6.
  const double n = static_cast<double>(f.size());
  CHECK(std::abs(static_cast<double>(dropped) - n * rate) < 5 * std::sqrt(n * rate * (1 - rate)));

  // backward multiplies dy by the same factors.
  const Matrix dy = positive(rows, 30, 2);
  const Matrix dx = layer.backward(dy);
  for (Index i = 0; i < rows; ++i)
    for (Index k = 0; k < 30; ++k) CHECK(dx(i, k) == doctest::Approx(double(dy(i, k) * f(i, k % channels))));
}

TEST_CASE("SpatialDropout1D drops a channel along all steps; the identity at inference and when rate = 0") {
  nn::SpatialDropout1D layer(0.5, {.seed = 9, .name = "sd"});
  Rng rng(1);
  layer.build(Shape{4, 3}, rng);
  const Matrix x = positive(50, 12, 3);
  const Matrix y = layer.forward(x, true);
  const Matrix f = channel_factors(x, y, 3);
  CHECK((f.array() == 0).any());
  CHECK((f.array() != 0).any());
  CHECK(&layer.forward(x, false) == &x);
  const Matrix dy = positive(50, 12, 4);
  CHECK(&layer.backward(dy) == &dy);
  nn::SpatialDropout1D none(0.0);
  none.build(Shape{4, 3}, rng);
  CHECK(&none.forward(x, true) == &x);
  layer.set_input_gradient_needed(false);
  layer.forward(x, true);
  CHECK(layer.backward(dy).size() == 0);
}

TEST_CASE("SpatialDropout masks follow the seed, else the model's generator; gradient with the mask fixed") {
  const Matrix x = positive(6, 8, 5);
  auto built = [](std::optional<std::uint64_t> seed, std::uint64_t build_seed) {
    nn::SpatialDropout1D layer(0.5, {.seed = seed});
    Rng rng(build_seed);
    layer.build(Shape{2, 4}, rng);
    return layer;
  };
  auto a = built(7, 1), b = built(7, 2);
  Matrix ya = a.forward(x, true);
  CHECK(ya == b.forward(x, true));
  CHECK(a.forward(x, true) != ya);  // the next batch draws a new mask
  auto c = built(std::nullopt, 21), d = built(std::nullopt, 21), e = built(std::nullopt, 22);
  Matrix yc = c.forward(x, true);
  CHECK(yc == d.forward(x, true));
  CHECK(yc != e.forward(x, true));

  // A fresh layer of a fixed seed draws the same first mask, so L(x) = sum(w .* layer(x)) is a fixed function of x.
  const Matrix w = testing::uniform_matrix(6, 8, 6);
  Matrix xv = x;
  auto objective = [&] {
    auto fresh = built(17, 1);
    return (fresh.forward(xv, true).cast<double>().array() * w.cast<double>().array()).sum();
  };
  auto layer = built(17, 1);
  layer.forward(xv, true);
  const Matrix analytic = layer.backward(w);
  CHECK(testing::relative_error(analytic, testing::numeric_gradient(xv, objective)) < testing::kTolerance);
  CHECK((analytic.array() == 0).any());
}

TEST_CASE("SpatialDropout config: Keras 3's keys, without trainable, which its constructors refuse") {
  nn::SpatialDropout2D layer(0.25, {.seed = 42, .name = "sd2"});
  const json written = nn::layer_to_json(layer);
  CHECK(written == json::parse(R"({"class_name": "SpatialDropout2D", "config": {"name": "sd2", "rate": 0.25,
                                   "seed": 42, "data_format": "channels_last", "dtype": "float32"}})"));
  CHECK(nn::layer_to_json(*nn::layer_from_json(written, "w")) == written);
  const json one = nn::layer_to_json(nn::SpatialDropout1D(0.5, {.name = "sd1"}));
  CHECK(one == json::parse(R"({"class_name": "SpatialDropout1D", "config": {"name": "sd1", "rate": 0.5,
                               "seed": null, "dtype": "float32"}})"));
  // TF.js (and Keras 2) write noise_shape: null and trainable.
  auto tfjs = nn::layer_from_json(json::parse(R"({"class_name": "SpatialDropout1D", "config": {"rate": 0.3,
      "noise_shape": null, "seed": null, "name": "spatial_dropout1d_SpatialDropout1D1", "trainable": true}})"), "t");
  CHECK(dynamic_cast<nn::SpatialDropout1D&>(*tfjs).rate() == 0.3);
}

TEST_CASE("SpatialDropout errors: rate, data_format, noise_shape, the sample's rank") {
  for (double rate : {-0.1, 1.0, std::nan("")}) {
    CAPTURE(rate);
    CHECK_THROWS_WITH_AS(nn::SpatialDropout1D{rate},
                         doctest::Contains("SpatialDropout1D: invalid rate. Expected 0 <= rate < 1"), Error);
    CHECK_THROWS_WITH_AS(nn::SpatialDropout2D{rate},
                         doctest::Contains("SpatialDropout2D: invalid rate. Expected 0 <= rate < 1"), Error);
  }
  CHECK_THROWS_WITH_AS(nn::SpatialDropout2D(0.5, {.data_format = "channels_first"}),
                       doctest::Contains("SpatialDropout2D: data_format=\"channels_first\" is not supported"), Error);
  auto sd = [](const char* cls, const char* config) {
    return nn::layer_from_json(json{{"class_name", cls}, {"config", json::parse(config)}}, "x");
  };
  CHECK_THROWS_WITH_AS(sd("SpatialDropout2D", R"({"rate": 0.5, "data_format": "channels_first"})"),
                       doctest::Contains("x.config: SpatialDropout2D: data_format=\"channels_first\""), Error);
  CHECK_THROWS_WITH_AS(sd("SpatialDropout1D", R"({"rate": 0.5, "noise_shape": [null, 1, 4]})"),
                       doctest::Contains("x.config.noise_shape: noise_shape (the mask's shape is the layer's own) is "
                                         "not supported"),
                       Error);
  CHECK_THROWS_WITH_AS(sd("SpatialDropout1D", R"({"rat": 0.5})"), doctest::Contains("x.config.rat: unknown key"),
                       Error);
  CHECK_THROWS_WITH_AS(sd("SpatialDropout1D", "{}"), doctest::Contains("x.config.rate: missing"), Error);
  Rng rng(0);
  nn::SpatialDropout1D one(0.5, {.name = "s1"});
  CHECK_THROWS_WITH_AS(one.build(Shape{4, 3, 2}, rng),
                       "SpatialDropout1D 's1': expected samples of shape (steps, channels); received samples of "
                       "shape (4, 3, 2).",
                       Error);
  nn::SpatialDropout2D two(0.5, {.name = "s2"});
  CHECK_THROWS_WITH_AS(two.build(Shape{12}, rng),
                       "SpatialDropout2D 's2': expected samples of shape (height, width, channels); received samples "
                       "of shape (12,).",
                       Error);
}
