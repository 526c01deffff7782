// ELU: the exponential linear unit, x above 0 and alpha * (e^x - 1) below (keras.layers.ELU).
#pragma once

#include "elementwise_layer.hpp"

#include <memory>
#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras ELU keyword arguments, with Keras's default. Field order is API: only append.
struct ELUOptions {
  double alpha = 1.0;  ///< the scale of the negative part
  std::string name;
};

/// y = x for x > 0, alpha * (e^x - 1) otherwise; dx = dy for x > 0, alpha * e^x * dy otherwise (Clevert et al. 2016,
/// https://arxiv.org/abs/1511.07289).
class ELU : public ElementwiseLayer {
 public:
  explicit ELU(ELUOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "ELU"; }
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  /// With "alpha", as Keras 2 and TF.js write it. (Keras 3's ELU leaves alpha out of its config, so a Keras 3 file
  /// reloads with alpha = 1 whatever it was; it reads the key when present.)
  nlohmann::json config() const override;

  const ELUOptions& options() const { return options_; }

 private:
  ELUOptions options_;
};

}  // namespace descent::nn
