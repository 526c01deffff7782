// NoiseLayer: what every layer that perturbs its input in training shares (Dropout, GaussianNoise, and next
// GaussianDropout, AlphaDropout, SpatialDropout): Keras's seed and name options, a generator of its own, and the
// identity at inference.
#pragma once

#include <descent/nn/layer.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// The keyword arguments every Keras noise layer has besides its rate. Field order is API: only append.
struct NoiseOptions {
  std::optional<std::uint64_t> seed;  ///< fixes the noise sequence; unset: drawn from the model's seed at build
  std::string name;
};

class NoiseLayer : public Layer {
 public:
  const NoiseOptions& options() const { return options_; }

  std::string generator_state() const override;
  void set_generator_state(const std::string& state) override;

 protected:
  explicit NoiseLayer(NoiseOptions options);
  /// Seeds the layer's generator: from options().seed when set, else with one draw from the model's `rng`, so an
  /// unseeded layer still follows the model's seed and two runs of one program draw the same noise.
  void build_weights(const Shape& input_shape, Rng& rng) override;
  /// {"name", "seed"} of the config (seed null when unset, as Keras writes None).
  nlohmann::json noise_config() const;
  /// "seed" and "name" of a Keras config.
  static NoiseOptions read_noise_options(ConfigReader& r);

  Rng rng_;
  Matrix none_;  // stays empty: backward's result when no input gradient is needed

 private:
  NoiseOptions options_;
};

}  // namespace descent::nn
