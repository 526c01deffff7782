// LeakyReLU: x for x >= 0, negative_slope * x below (keras.layers.LeakyReLU).
#pragma once

#include "elementwise_layer.hpp"

#include <memory>
#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras LeakyReLU keyword arguments, with Keras 3's defaults. Field order is API: only append.
struct LeakyReLUOptions {
  double negative_slope = 0.3;  ///< >= 0; Keras 2 and TF.js call it alpha
  std::string name;
};

/// y = x for x >= 0, negative_slope * x for x < 0; dx = dy for x > 0, negative_slope * dy otherwise (TensorFlow's
/// gradient, which takes the slope at 0).
class LeakyReLU : public ElementwiseLayer {
 public:
  explicit LeakyReLU(LeakyReLUOptions options = {});
  /// From a Keras 3 config ("negative_slope") or a Keras 2 / TF.js one ("alpha"), as Keras 3 reads both.
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "LeakyReLU"; }
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  /// Keras 3's key, "negative_slope".
  nlohmann::json config() const override;

  const LeakyReLUOptions& options() const { return options_; }

 private:
  LeakyReLUOptions options_;
};

}  // namespace descent::nn
