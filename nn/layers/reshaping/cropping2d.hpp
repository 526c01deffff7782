// Cropping2D: rows and columns removed from the sides of (height, width, channels) samples (keras.layers.Cropping2D).
#pragma once

#include "margin_layer.hpp"

#include <memory>
#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras Cropping2D keyword arguments, with Keras's defaults. Field order is API: only append.
struct Cropping2DOptions {
  /// n: n rows and columns off every side; {h, w}: h rows off the top and the bottom, w columns off the left and
  /// the right; {{top, bottom}, {left, right}}.
  Margins2D cropping = 0;
  std::string name;
  std::string data_format = "channels_last";  ///< the only layout Descent has; "channels_first" is an Error
};

/// (height, width, channels) -> (height - top - bottom, width - left - right, channels); a pixel must remain.
class Cropping2D : public MarginLayer {
 public:
  explicit Cropping2D(Cropping2DOptions options = {});
  /// From a Keras config: cropping an int, a pair or a pair of pairs (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "Cropping2D"; }
  nlohmann::json config() const override;

  const Cropping2DOptions& options() const { return options_; }

 private:
  Cropping2DOptions options_;
};

}  // namespace descent::nn
