// ReLU: the rectified linear unit with Keras's cap, threshold and negative slope (keras.layers.ReLU).
#pragma once

#include "elementwise_layer.hpp"

#include <memory>
#include <optional>
#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras ReLU keyword arguments, with Keras 3's defaults. Field order is API: only append.
struct ReLUOptions {
  std::optional<double> max_value;  ///< the output's cap, >= 0; unset: none (Keras's None)
  double negative_slope = 0.0;      ///< slope below the threshold, >= 0
  double threshold = 0.0;           ///< >= 0
  std::string name;
};

/// Keras 3's relu as its code computes it (keras/src/activations/activations.py, ReLU.static_call):
///   y = min(x > threshold ? x : 0, max_value) - negative_slope * max(threshold - x, 0),
/// which is the docstring's x for threshold < x < max_value, max_value above, negative_slope * (x - threshold) below
/// the threshold, except at x = threshold > 0 exactly, where the code gives 0 and the docstring the threshold.
/// dx = dy for threshold < x < max_value, negative_slope * dy for x < threshold, 0 elsewhere; at x = threshold = 0
/// with a slope and no cap Keras calls leaky_relu, whose gradient there is the slope.
class ReLU : public ElementwiseLayer {
 public:
  explicit ReLU(ReLUOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "ReLU"; }
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  nlohmann::json config() const override;

  const ReLUOptions& options() const { return options_; }

 private:
  ReLUOptions options_;
};

}  // namespace descent::nn
