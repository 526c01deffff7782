// Rescaling: y = x * scale + offset, in training and inference (keras.layers.Rescaling).
#pragma once

#include <descent/nn/layer.hpp>

#include <memory>
#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras Rescaling keyword arguments besides scale. Field order is API: only append.
struct RescalingOptions {
  double offset = 0.0;
  std::string name;
};

/// y = x * scale + offset with scalar scale and offset (Keras's per-channel arrays are not supported):
/// Rescaling(1.0 / 255) maps [0, 255] to [0, 1], Rescaling(1.0 / 127.5, {.offset = -1}) to [-1, 1]. dx = dy * scale.
class Rescaling : public Layer {
 public:
  explicit Rescaling(double scale, RescalingOptions options = {});
  /// From a Keras config: scale and offset numbers; a list or array is an Error.
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "Rescaling"; }
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  nlohmann::json config() const override;

  double scale() const { return scale_; }
  double offset() const { return options_.offset; }

 private:
  double scale_;
  RescalingOptions options_;
  Matrix y_, dx_;
  Matrix none_;  // stays empty: backward's result when no input gradient is needed
};

}  // namespace descent::nn
