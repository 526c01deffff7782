// ZeroPadding2D: rows and columns of zeros around (height, width, channels) samples (keras.layers.ZeroPadding2D).
#pragma once

#include "margin_layer.hpp"

#include <memory>
#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras ZeroPadding2D keyword arguments, with Keras's defaults. Field order is API: only append.
struct ZeroPadding2DOptions {
  /// n: n rows and columns on every side; {h, w}: h rows above and below, w columns left and right;
  /// {{top, bottom}, {left, right}}.
  Margins2D padding = 1;
  std::string name;
  std::string data_format = "channels_last";  ///< the only layout Descent has; "channels_first" is an Error
};

/// (height, width, channels) -> (top + height + bottom, left + width + right, channels), the new pixels zero.
class ZeroPadding2D : public MarginLayer {
 public:
  explicit ZeroPadding2D(ZeroPadding2DOptions options = {});
  /// From a Keras config: padding an int, a pair or a pair of pairs (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "ZeroPadding2D"; }
  nlohmann::json config() const override;

  const ZeroPadding2DOptions& options() const { return options_; }

 private:
  ZeroPadding2DOptions options_;
};

}  // namespace descent::nn
