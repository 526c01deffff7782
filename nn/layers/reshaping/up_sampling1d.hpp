// UpSampling1D: each step of (steps, features) samples repeated `size` times (keras.layers.UpSampling1D).
#pragma once

#include "up_sampling_layer.hpp"

#include <memory>
#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras UpSampling1D keyword arguments, with Keras's default. Field order is API: only append.
struct UpSampling1DOptions {
  Index size = 2;  ///< the repeat factor, > 0
  std::string name;
};

/// (steps, features) -> (steps * size, features): output step t is input step t / size.
class UpSampling1D : public UpSamplingLayer {
 public:
  explicit UpSampling1D(UpSampling1DOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "UpSampling1D"; }
  nlohmann::json config() const override;

  const UpSampling1DOptions& options() const { return options_; }

 private:
  UpSampling1DOptions options_;
};

}  // namespace descent::nn
