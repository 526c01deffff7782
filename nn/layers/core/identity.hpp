// Identity: passes its input through unchanged, a placeholder layer (keras.layers.Identity).
#pragma once

#include <descent/nn/layer.hpp>

#include <memory>
#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

struct IdentityOptions {
  std::string name;
};

/// y = x and dL/dx = dL/dy: forward returns x itself and backward dy itself, so the layer copies nothing.
class Identity : public Layer {
 public:
  explicit Identity(IdentityOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "Identity"; }
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  nlohmann::json config() const override;

 private:
  Index rows_ = 0;   // of the last forward, to check dy
  Matrix none_;      // stays empty: backward's result when no input gradient is needed
};

}  // namespace descent::nn
