// Flatten: a sample of any shape as one axis of features (keras.layers.Flatten).
#pragma once

#include <descent/nn/layer.hpp>

#include <memory>
#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras Flatten keyword arguments. Field order is API: only append.
struct FlattenOptions {
  std::string name;
  std::string data_format = "channels_last";  ///< the only layout Descent has; "channels_first" is an Error
};

/// (d1, d2, ..., dk) -> (d1 * d2 * ... * dk,). A batch already holds each sample's values in row-major order, one row
/// per sample, which is Flatten's output order: forward returns x itself and backward dy itself, copying nothing.
class Flatten : public Layer {
 public:
  explicit Flatten(FlattenOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "Flatten"; }
  Shape compute_output_shape(const Shape& input_shape) const override;
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  nlohmann::json config() const override;

  const FlattenOptions& options() const { return options_; }

 private:
  FlattenOptions options_;
  Index rows_ = 0;  // of the last forward, to check dy
  Matrix none_;     // stays empty: backward's result when no input gradient is needed
};

}  // namespace descent::nn
