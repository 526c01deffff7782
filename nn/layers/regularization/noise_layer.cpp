// NoiseLayer: the seed's life cycle (options, then the model's generator at build) and the shared config keys.
#include "noise_layer.hpp"

#include <descent/core/config.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

NoiseLayer::NoiseLayer(NoiseOptions options) : options_(std::move(options)) {
  name_ = options_.name;
  if (options_.seed) rng_.seed(*options_.seed);
}

void NoiseLayer::build_weights(const Shape&, Rng& rng) { rng_.seed(options_.seed ? *options_.seed : rng()); }

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
