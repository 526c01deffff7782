// Initializers: Keras 3 formulas checked by statistics on large matrices, seeding, registry names and configs.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

using namespace descent;
using json = nlohmann::json;

namespace {

// Truncating a unit normal at +-2 leaves this standard deviation; Keras divides by it to restore the variance.
constexpr double kTruncatedStd = 0.87962566103423978;

struct Stats {
  double mean = 0, stddev = 0, largest = 0;  // largest = max |x - 0|
  double beyond_one_sigma = 0;               // fraction with |x| > sigma (sigma passed in)
};

Stats stats(const Matrix& m, double sigma = 1.0) {
  Stats s;
  const double n = static_cast<double>(m.size());
  double sum = 0, beyond = 0;
  for (Index i = 0; i < m.size(); ++i) sum += m.data()[i];
  s.mean = sum / n;
  double squares = 0;
  for (Index i = 0; i < m.size(); ++i) {
    double x = m.data()[i];
    squares += (x - s.mean) * (x - s.mean);
    s.largest = std::max(s.largest, std::abs(x));
    if (std::abs(x) > sigma) ++beyond;
  }
  s.stddev = std::sqrt(squares / n);
  s.beyond_one_sigma = beyond / n;
  return s;
}

// A rows x cols weight: a vector {cols} when is_vector (rows must be 1), else a kernel {rows, cols}.
Matrix filled(const nn::Initializer& init, Index rows, Index cols, bool is_vector = false, std::uint64_t seed = 3) {
  Matrix m(rows, cols);
  Rng rng(seed);
  init.fill(m, is_vector ? Shape{cols} : Shape{rows, cols}, rng);
  return m;
}

// U(-limit, limit): every value inside, the extremes reached, mean 0, variance limit^2 / 3.
void check_uniform(const Matrix& m, double limit) {
  Stats s = stats(m);
  CHECK(s.largest <= limit * (1 + 1e-6));
  CHECK(s.largest > 0.99 * limit);
  CHECK(std::abs(s.mean) < 0.02 * limit);
  CHECK(s.stddev == doctest::Approx(limit / std::sqrt(3.0)).epsilon(0.02));
}

// Keras's truncated normal with target standard deviation `target`: drawn with sigma = target / 0.8796..., cut at
// 2 sigma, so the sample's standard deviation comes back to `target`; 28.5% of a unit normal truncated at 2 lies
// beyond 1 ((0.3173 - 0.0455) / 0.9545).
void check_truncated(const Matrix& m, double target) {
  const double sigma = target / kTruncatedStd;
  Stats s = stats(m, sigma);
  CHECK(s.largest <= 2 * sigma * (1 + 1e-6));
  CHECK(s.largest > 1.95 * sigma);
  CHECK(std::abs(s.mean) < 0.02 * target);
  CHECK(s.stddev == doctest::Approx(target).epsilon(0.02));
  CHECK(s.beyond_one_sigma == doctest::Approx(0.2848).epsilon(0.04));
}

}  // namespace

TEST_CASE("glorot_uniform draws from U(-L, L) with L = sqrt(6 / (fan_in + fan_out))") {
  check_uniform(filled(*nn::get_initializer("glorot_uniform"), 400, 300), std::sqrt(6.0 / 700));
  check_uniform(filled(*nn::get_initializer("glorot_uniform"), 50, 2000), std::sqrt(6.0 / 2050));
}

TEST_CASE("he_uniform and lecun_uniform use fan_in only") {
  check_uniform(filled(*nn::get_initializer("he_uniform"), 400, 300), std::sqrt(6.0 / 400));
  check_uniform(filled(*nn::get_initializer("lecun_uniform"), 400, 300), std::sqrt(3.0 / 400));
}

TEST_CASE("normal variance-scaling initializers are truncated at 2 stddev with the 0.8796 correction") {
  SUBCASE("glorot_normal: sqrt(2 / (fan_in + fan_out))") {
    check_truncated(filled(*nn::get_initializer("glorot_normal"), 400, 300), std::sqrt(2.0 / 700));
  }
  SUBCASE("he_normal: sqrt(2 / fan_in)") {
    check_truncated(filled(*nn::get_initializer("he_normal"), 400, 300), std::sqrt(2.0 / 400));
  }
  SUBCASE("lecun_normal: sqrt(1 / fan_in)") {
    check_truncated(filled(*nn::get_initializer("lecun_normal"), 400, 300), std::sqrt(1.0 / 400));
  }
}

TEST_CASE("VarianceScaling modes and distributions") {
  SUBCASE("fan_out, uniform, scale 3: limit sqrt(3 * 3 / fan_out)") {
    nn::VarianceScaling init({.scale = 3, .mode = "fan_out", .distribution = "uniform"});
    check_uniform(filled(init, 300, 500), std::sqrt(9.0 / 500));
  }
  SUBCASE("fan_avg, truncated_normal, scale 0.5") {
    nn::VarianceScaling init({.scale = 0.5, .mode = "fan_avg", .distribution = "truncated_normal"});
    check_truncated(filled(init, 300, 500), std::sqrt(0.5 / 400));
  }
  SUBCASE("fan_in, untruncated_normal: plain normal, tails beyond 2 stddev remain") {
    nn::VarianceScaling init({.scale = 2, .mode = "fan_in", .distribution = "untruncated_normal"});
    const double sigma = std::sqrt(2.0 / 300);
    Stats s = stats(filled(init, 300, 400), sigma);
    CHECK(s.stddev == doctest::Approx(sigma).epsilon(0.02));
    CHECK(s.largest > 3 * sigma);
    CHECK(s.beyond_one_sigma == doctest::Approx(0.3173).epsilon(0.04));
  }
  SUBCASE("\"normal\" (TF.js and Keras 2) means truncated_normal") {
    nn::VarianceScaling init({.scale = 1, .mode = "fan_avg", .distribution = "normal"});
    CHECK(init.options().distribution == "truncated_normal");
    check_truncated(filled(init, 400, 300), std::sqrt(2.0 / 700));
  }
  SUBCASE("a vector (bias) of n uses fan_in = fan_out = n") {
    nn::VarianceScaling init({.scale = 1, .mode = "fan_in", .distribution = "uniform"});
    check_uniform(filled(init, 1, 30000, /*is_vector=*/true), std::sqrt(3.0 / 30000));
    // The same shape as a 1 x n kernel has fan_in 1.
    check_uniform(filled(init, 1, 30000, /*is_vector=*/false), std::sqrt(3.0));
  }
  SUBCASE("a kernel of rank 4 (kh, kw, in, out) multiplies both fans by its receptive field, as Keras") {
    const nn::Fans fans = nn::compute_fans({3, 3, 4, 8});  // receptive field 3 * 3 = 9
    CHECK(fans.in == 36);
    CHECK(fans.out == 72);
    CHECK(nn::compute_fans({5}).in == 5);
    CHECK(nn::compute_fans({5}).out == 5);
    CHECK(nn::compute_fans({}).in == 1);
    // fan_in 3 * 3 * 40 = 360 for a (3, 3, 40, 50) kernel stored as 360 x 50.
    nn::VarianceScaling init({.scale = 1, .mode = "fan_in", .distribution = "uniform"});
    Matrix m(360, 50);
    Rng rng(3);
    init.fill(m, {3, 3, 40, 50}, rng);
    check_uniform(m, std::sqrt(3.0 / 360));
  }
}

TEST_CASE("RandomUniform, RandomNormal, TruncatedNormal, Zeros, Ones, Constant") {
  SUBCASE("RandomUniform(minval, maxval)") {
    Stats s = stats(filled(nn::RandomUniform({.minval = 1.0, .maxval = 3.0}), 300, 400));
    CHECK(s.mean == doctest::Approx(2.0).epsilon(0.01));
    CHECK(s.stddev == doctest::Approx(2.0 / std::sqrt(12.0)).epsilon(0.02));
    Matrix m = filled(nn::RandomUniform({.minval = 1.0, .maxval = 3.0}), 300, 400);
    CHECK(m.minCoeff() >= 1.0f);
    CHECK(m.maxCoeff() <= 3.0f);
  }
  SUBCASE("RandomNormal(mean, stddev) is not truncated") {
    Matrix m = filled(nn::RandomNormal({.mean = 0.0, .stddev = 0.5}), 300, 400);
    Stats s = stats(m, 0.5);
    CHECK(s.stddev == doctest::Approx(0.5).epsilon(0.02));
    CHECK(s.largest > 1.5);
    Stats shifted = stats(filled(nn::RandomNormal({.mean = 4.0, .stddev = 0.5}), 300, 400));
    CHECK(shifted.mean == doctest::Approx(4.0).epsilon(0.005));
  }
  SUBCASE("TruncatedNormal redraws beyond 2 stddev and, unlike VarianceScaling, does not rescale") {
    Matrix m = filled(nn::TruncatedNormal({.mean = 0.0, .stddev = 0.5}), 300, 400);
    Stats s = stats(m, 0.5);
    CHECK(s.largest <= 1.0 * (1 + 1e-6));
    CHECK(s.stddev == doctest::Approx(0.5 * kTruncatedStd).epsilon(0.02));
    CHECK(s.beyond_one_sigma == doctest::Approx(0.2848).epsilon(0.04));
  }
  SUBCASE("constants") {
    CHECK(filled(nn::Zeros{}, 3, 4).isZero());
    CHECK(filled(nn::Ones{}, 3, 4).isOnes());
    CHECK((filled(nn::Constant(0.25), 3, 4).array() == Scalar(0.25)).all());
  }
}

TEST_CASE("seeded initializers repeat and leave the shared Rng alone; unseeded ones draw from it") {
  nn::GlorotUniform seeded({.seed = 42});
  Matrix a = filled(seeded, 20, 30, false, 1);
  Matrix b = filled(seeded, 20, 30, false, 999);
  CHECK(a == b);
  CHECK(a != filled(nn::GlorotUniform({.seed = 43}), 20, 30));

  Rng shared(5), untouched(5);
  Matrix m(4, 4);
  seeded.fill(m, {4, 4}, shared);
  CHECK(shared() == untouched());

  nn::GlorotUniform unseeded;
  Rng rng(5);
  Matrix first(20, 30), second(20, 30);
  unseeded.fill(first, {20, 30}, rng);
  unseeded.fill(second, {20, 30}, rng);
  CHECK(first != second);
  CHECK(first == filled(unseeded, 20, 30, false, 5));  // same Rng seed, same values

  for (const std::string& name : nn::initializer_names()) {
    if (name == "Zeros" || name == "Ones" || name == "Constant") continue;
    CAPTURE(name);
    json config = serialize(*nn::get_initializer(name));
    config["config"]["seed"] = 11;
    auto init = nn::initializer_from_json(config, "test");
    CHECK(filled(*init, 6, 7, false, 1) == filled(*init, 6, 7, false, 2));
  }
}

TEST_CASE("registry: snake_case and class names, round trips, and errors") {
  const std::pair<const char*, const char*> names[] = {
      {"zeros", "Zeros"},
      {"ones", "Ones"},
      {"constant", "Constant"},
      {"random_uniform", "RandomUniform"},
      {"random_normal", "RandomNormal"},
      {"truncated_normal", "TruncatedNormal"},
      {"variance_scaling", "VarianceScaling"},
      {"glorot_uniform", "GlorotUniform"},
      {"glorot_normal", "GlorotNormal"},
      {"he_uniform", "HeUniform"},
      {"he_normal", "HeNormal"},
      {"lecun_uniform", "LecunUniform"},
      {"lecun_normal", "LecunNormal"},
  };
  for (auto [snake, cls] : names) {
    CAPTURE(snake);
    CHECK(nn::get_initializer(snake)->class_name() == cls);
    CHECK(nn::get_initializer(cls)->class_name() == cls);
    CHECK(nn::initializer_from_json(json(snake), "x")->class_name() == cls);
  }
  CHECK(nn::initializer_names().size() == std::size(names));

  SUBCASE("to_json then from_json gives the same config for every registered initializer") {
    for (const std::string& name : nn::initializer_names()) {
      CAPTURE(name);
      json once = serialize(*nn::get_initializer(name));
      CHECK(once["class_name"] == name);
      CHECK(serialize(*nn::initializer_from_json(once, "x")) == once);
    }
    nn::VarianceScaling custom({.scale = 2.5, .mode = "fan_out", .distribution = "uniform", .seed = 9});
    json vs = serialize(custom);
    CHECK(vs["config"] == json{{"scale", 2.5}, {"mode", "fan_out"}, {"distribution", "uniform"}, {"seed", 9}});
    CHECK(serialize(*nn::initializer_from_json(vs, "x")) == vs);
    json constant = serialize(nn::Constant(0.25));
    CHECK(constant["config"]["value"] == 0.25);
    CHECK(serialize(*nn::initializer_from_json(constant, "x")) == constant);
  }

  SUBCASE("TF.js writes glorot_normal as VarianceScaling/normal, Keras 3 wraps it in module/registered_name") {
    auto tfjs = nn::initializer_from_json(
        json::parse(R"({"class_name": "VarianceScaling",
                        "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal", "seed": null}})"),
        "x");
    check_truncated(filled(*tfjs, 400, 300), std::sqrt(2.0 / 700));
    auto keras3 = nn::initializer_from_json(
        json::parse(R"({"module": "keras.initializers", "class_name": "GlorotUniform",
                        "config": {"seed": null}, "registered_name": null})"),
        "x");
    CHECK(keras3->class_name() == "GlorotUniform");
  }

  SUBCASE("errors name the place and list the valid choices") {
    CHECK_THROWS_WITH_AS(nn::get_initializer("glorot"), doctest::Contains("Unknown initializer \"glorot\""), Error);
    CHECK_THROWS_WITH_AS(nn::get_initializer("glorot"), doctest::Contains("glorot_uniform"), Error);
    CHECK_THROWS_WITH_AS(nn::get_initializer("glorot"), doctest::Contains("he_normal"), Error);
    CHECK_THROWS_WITH_AS(nn::initializer_from_json(json{{"class_name", "Glorot"}, {"config", json::object()}}, "k"),
                         doctest::Contains("k.class_name: unknown initializer \"Glorot\""), Error);
    CHECK_THROWS_WITH_AS(
        nn::initializer_from_json(json{{"class_name", "GlorotUniform"}, {"config", {{"sed", 1}}}}, "k"),
        doctest::Contains("unknown key \"sed\""), Error);
    CHECK_THROWS_WITH_AS(
        nn::initializer_from_json(json{{"class_name", "GlorotUniform"}, {"config", {{"seed", -1}}}}, "k"),
        doctest::Contains("k.config.seed"), Error);
    CHECK_THROWS_WITH_AS(nn::VarianceScaling({.scale = 0}), doctest::Contains("expected scale > 0"), Error);
    CHECK_THROWS_WITH_AS(nn::VarianceScaling({.mode = "fan_sum"}), doctest::Contains("mode=\"fan_sum\""), Error);
    CHECK_THROWS_WITH_AS(nn::VarianceScaling({.distribution = "gamma"}), doctest::Contains("distribution=\"gamma\""),
                         Error);
    CHECK_THROWS_WITH_AS(nn::RandomUniform({.minval = 1, .maxval = 0}), doctest::Contains("minval <= maxval"), Error);
    CHECK_THROWS_WITH_AS(nn::RandomNormal({.stddev = -1}), doctest::Contains("RandomNormal: expected stddev >= 0"),
                         Error);
    CHECK_THROWS_WITH_AS(nn::TruncatedNormal({.stddev = -1}),
                         doctest::Contains("TruncatedNormal: expected stddev >= 0"), Error);
  }
}
