// ZeroPadding1D: zeros added before and after the steps of (steps, features) samples (keras.layers.ZeroPadding1D).
#pragma once

#include "margin_layer.hpp"

#include <memory>
#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras ZeroPadding1D keyword arguments, with Keras's defaults. Field order is API: only append.
struct ZeroPadding1DOptions {
  Margins padding = 1;  ///< steps of zeros before and after: n is (n, n)
  std::string name;
  std::string data_format = "channels_last";  ///< the only layout Descent has; "channels_first" is an Error
};

/// (steps, features) -> (before + steps + after, features), the new steps zero.
class ZeroPadding1D : public MarginLayer {
 public:
  explicit ZeroPadding1D(ZeroPadding1DOptions options = {});
  /// From a Keras config: padding an int or a pair (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "ZeroPadding1D"; }
  nlohmann::json config() const override;

  const ZeroPadding1DOptions& options() const { return options_; }

 private:
  ZeroPadding1DOptions options_;
};

}  // namespace descent::nn
