// NoiseLayer: the seed's life cycle (options, then the model's generator at build) and the shared config keys.
#include "noise_layer.hpp"

#include <descent/core/config.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

namespace descent::nn {

NoiseLayer::NoiseLayer(NoiseOptions options) : options_(std::move(options)) {
  name_ = options_.name;
  if (options_.seed) rng_.seed(*options_.seed);
}

void NoiseLayer::build_weights(const Shape&, Rng& rng) { rng_.seed(options_.seed ? *options_.seed : rng()); }

// std::mt19937_64's own text form: its 312 words of state and position, which operator>> reads back exactly.
std::string NoiseLayer::generator_state() const {
  std::ostringstream out;
  out << rng_;
  return out.str();
}

void NoiseLayer::set_generator_state(const std::string& state) {
  std::istringstream in(state);
  Rng restored;
  in >> restored;
  check(!in.fail() && (in >> std::ws).eof(), where(),
        ": expected the generator state a save wrote (312 numbers and a position); received text that is not.");
  rng_ = restored;
}

nlohmann::json NoiseLayer::noise_config() const {
  return {{"name", name_}, {"seed", options_.seed ? nlohmann::json(*options_.seed) : nlohmann::json(nullptr)}};
}

NoiseOptions NoiseLayer::read_noise_options(ConfigReader& r) {
  NoiseOptions o;
  o.seed = read_seed(r);
  o.name = read_common(r);
  return o;
}

}  // namespace descent::nn
