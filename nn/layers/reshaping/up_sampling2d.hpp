// UpSampling2D: each pixel of (height, width, channels) samples repeated into a block (keras.layers.UpSampling2D).
#pragma once

#include "up_sampling_layer.hpp"

#include <descent/nn/window.hpp>

#include <memory>
#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras UpSampling2D keyword arguments, with Keras's defaults. Field order is API: only append.
struct UpSampling2DOptions {
  Tuple size = 2;  ///< factors of rows and columns: n is (n, n), {rows, columns}
  std::string name;
  std::string data_format = "channels_last";  ///< the only layout Descent has; "channels_first" is an Error
  std::string interpolation = "nearest";      ///< the only one supported; "bilinear" and the others are an Error
};

/// (height, width, channels) -> (height * size.height, width * size.width, channels), each pixel repeated into a
/// size.height x size.width block (Keras's "nearest" interpolation).
class UpSampling2D : public UpSamplingLayer {
 public:
  explicit UpSampling2D(UpSampling2DOptions options = {});
  /// From a Keras config: size an int or a pair (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "UpSampling2D"; }
  nlohmann::json config() const override;

  const UpSampling2DOptions& options() const { return options_; }

 private:
  UpSampling2D(const UpSampling2DOptions& options, std::vector<Index> factors);

  UpSampling2DOptions options_;
};

}  // namespace descent::nn
