// GaussianNoise: adds zero-mean normal noise in training, a regularizer (keras.layers.GaussianNoise).
#pragma once

#include <descent/nn/layer.hpp>

#include <cstdint>
#include <memory>
#include <optional>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras GaussianNoise keyword arguments. Field order is API: only append.
struct GaussianNoiseOptions {
  std::optional<std::uint64_t> seed;  ///< fixes the noise sequence; unset: drawn from the model's seed at build
  std::string name;
};

/// Training output x + stddev * N(0, 1) per element; the identity at inference and when stddev = 0, where forward
/// returns x itself. The noise does not depend on x, so backward returns dy itself.
class GaussianNoise : public Layer {
 public:
  /// stddev in [0, 1], as Keras 3 requires.
  explicit GaussianNoise(double stddev, GaussianNoiseOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "GaussianNoise"; }
  /// Seeds the noise generator: from options.seed when set, else with one draw from `rng`.
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  nlohmann::json config() const override;

  double stddev() const { return stddev_; }
  const GaussianNoiseOptions& options() const { return options_; }

 protected:
  void build_weights(const Shape& input_shape, Rng& rng) override;

 private:
  double stddev_;
  GaussianNoiseOptions options_;
  Rng rng_;
  Index rows_ = 0;  // of the last forward, to check dy
  Matrix y_, none_;  // none_ stays empty: backward's result when no input gradient is needed
};

}  // namespace descent::nn
