// Keras 3 initializer formulas and the initializer registry.
#include "initializers.hpp"

#include <descent/core/config.hpp>
#include <descent/core/registry.hpp>
#include <descent/core/random.hpp>

#include <cmath>
#include <functional>

namespace descent::nn {

namespace {


// A seeded initializer draws from its own engine, so it gives the same values on every call, as in Keras.
template <class Fill>
void with_rng(const std::optional<std::uint64_t>& seed, Rng& shared, Fill fill) {
  if (seed) {
    Rng own(*seed);
    fill(own);
  } else {
    fill(shared);
  }
}

double truncated_normal(Rng& rng) {
  for (;;) {
    double x = standard_normal(rng);
    if (std::abs(x) <= 2.0) return x;
  }
}

}  // namespace

json Zeros::config() const { return json::object(); }
json Ones::config() const { return json::object(); }
json Constant::config() const { return {{"value", value}}; }

RandomUniform::RandomUniform(RandomUniformOptions options) : options_(options) {
  check(options_.minval <= options_.maxval, "RandomUniform: expected minval <= maxval; received minval=",
        options_.minval, ", maxval=", options_.maxval, ".");
}
void RandomUniform::fill(Matrix& out, const Shape&, Rng& rng) const {
  with_rng(options_.seed, rng, [&](Rng& r) {
    for (Index i = 0; i < out.size(); ++i)
      out.data()[i] = static_cast<Scalar>(options_.minval + (options_.maxval - options_.minval) * uniform01(r));
  });
}
json RandomUniform::config() const { return with_fields(json::object(), options_); }

RandomNormal::RandomNormal(RandomNormalOptions options, const char* name) : options_(options) {
  check(options_.stddev >= 0, name, ": expected stddev >= 0; received stddev=", options_.stddev, ".");
}
void RandomNormal::fill(Matrix& out, const Shape&, Rng& rng) const {
  with_rng(options_.seed, rng, [&](Rng& r) {
    for (Index i = 0; i < out.size(); ++i) {
      double x = truncated() ? truncated_normal(r) : standard_normal(r);
      out.data()[i] = static_cast<Scalar>(options_.mean + options_.stddev * x);
    }
  });
}
json RandomNormal::config() const { return with_fields(json::object(), options_); }

VarianceScaling::VarianceScaling(VarianceScalingOptions options) : options_(std::move(options)) {
  if (options_.distribution == "normal") options_.distribution = "truncated_normal";  // TF.js and Keras 2 spelling
  check(options_.scale > 0, "VarianceScaling: expected scale > 0; received scale=", options_.scale, ".");
  check(options_.mode == "fan_in" || options_.mode == "fan_out" || options_.mode == "fan_avg",
        "VarianceScaling: expected mode fan_in, fan_out or fan_avg; received mode=\"", options_.mode, "\".");
  check(options_.distribution == "truncated_normal" || options_.distribution == "untruncated_normal" ||
            options_.distribution == "uniform",
        "VarianceScaling: expected distribution truncated_normal, untruncated_normal or uniform; received "
        "distribution=\"",
        options_.distribution, "\".");
}

Fans compute_fans(const Shape& shape) {
  if (shape.empty()) return {1, 1};
  if (shape.rank() == 1) return {static_cast<double>(shape[0]), static_cast<double>(shape[0])};
  double receptive_field = 1;
  for (std::size_t axis = 0; axis + 2 < shape.rank(); ++axis) receptive_field *= static_cast<double>(shape[axis]);
  return {static_cast<double>(shape[shape.rank() - 2]) * receptive_field,
          static_cast<double>(shape.back()) * receptive_field};
}

void VarianceScaling::fill(Matrix& out, const Shape& shape, Rng& rng) const {
  const auto [fan_in, fan_out] = compute_fans(shape);
  double fan = options_.mode == "fan_in" ? fan_in : options_.mode == "fan_out" ? fan_out : (fan_in + fan_out) / 2;
  double s = options_.scale / std::max(1.0, fan);
  with_rng(options_.seed, rng, [&](Rng& r) {
    for (Index i = 0; i < out.size(); ++i) {
      double x;
      if (options_.distribution == "uniform") {
        double limit = std::sqrt(3.0 * s);
        x = -limit + 2.0 * limit * uniform01(r);
      } else if (options_.distribution == "truncated_normal") {
        x = std::sqrt(s) / 0.87962566103423978 * truncated_normal(r);
      } else {
        x = std::sqrt(s) * standard_normal(r);
      }
      out.data()[i] = static_cast<Scalar>(x);
    }
  });
}

json VarianceScaling::config() const { return with_fields(json::object(), options_); }

NamedVarianceScaling::NamedVarianceScaling(std::string class_name, double scale, std::string mode,
                                           std::string distribution, std::optional<std::uint64_t> seed)
    : VarianceScaling({scale, std::move(mode), std::move(distribution), seed}), class_name_(std::move(class_name)) {}

json NamedVarianceScaling::config() const { return with_fields(json::object(), SeedOptions{options_.seed}); }

namespace {

using Factory = InitializerFactory;

// An initializer made from its options struct, read through the struct's field list.
template <class T, class Options>
Factory from_options() {
  return [](ConfigReader& r) {
    Options o;
    read_fields(r, o);
    return std::make_shared<T>(o);
  };
}

// Keras class names, and the snake names keras.initializers.get accepts.
Registry<Factory>& registry() {
  static Registry<Factory> table("initializer", "initializers", NameMatch::exact, {
      {"Zeros", {"zeros"}, [](ConfigReader&) { return std::make_shared<Zeros>(); }},
      {"Ones", {"ones"}, [](ConfigReader&) { return std::make_shared<Ones>(); }},
      {"Constant", {"constant"}, [](ConfigReader& r) {
         double v = 0.0;
         r.read("value", v);
         return std::make_shared<Constant>(v);
       }},
      {"RandomUniform", {"random_uniform"}, from_options<RandomUniform, RandomUniformOptions>()},
      {"RandomNormal", {"random_normal"}, from_options<RandomNormal, RandomNormalOptions>()},
      {"TruncatedNormal", {"truncated_normal"}, from_options<TruncatedNormal, RandomNormalOptions>()},
      {"VarianceScaling", {"variance_scaling"}, from_options<VarianceScaling, VarianceScalingOptions>()},
      {"GlorotUniform", {"glorot_uniform"}, from_options<GlorotUniform, SeedOptions>()},
      {"GlorotNormal", {"glorot_normal"}, from_options<GlorotNormal, SeedOptions>()},
      {"HeUniform", {"he_uniform"}, from_options<HeUniform, SeedOptions>()},
      {"HeNormal", {"he_normal"}, from_options<HeNormal, SeedOptions>()},
      {"LecunUniform", {"lecun_uniform"}, from_options<LecunUniform, SeedOptions>()},
      {"LecunNormal", {"lecun_normal"}, from_options<LecunNormal, SeedOptions>()},
  });
  return table;
}

}  // namespace

std::shared_ptr<Initializer> get_initializer(const std::string& name) {
  return registry().make(name, json::object(), "", name);
}

std::shared_ptr<Initializer> get_initializer(const InitializerId& id) {
  return id.is_name() ? get_initializer(id.name()) : id.object();
}

std::shared_ptr<Initializer> initializer_from_json(const json& object, const std::string& where) {
  if (object.is_string()) return get_initializer(object.get<std::string>());
  auto [class_name, config] = split_class_and_config(object, where);
  return registry().make(class_name, config, where + ".class_name", where + ".config");
}


std::vector<std::string> initializer_names() { return registry().class_names(); }

void register_initializer(const std::string& class_name, std::vector<std::string> aliases, InitializerFactory factory) {
  registry().add({class_name, std::move(aliases), std::move(factory)});
}

}  // namespace descent::nn
