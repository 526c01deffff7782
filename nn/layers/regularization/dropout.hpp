// Dropout: in training, zeroes each input with probability `rate` and scales the rest by 1 / (1 - rate), as Keras 3.
#pragma once

#include "noise_layer.hpp"

#include <memory>

namespace descent::nn {

/// Keras Dropout keyword arguments besides the rate (noise_shape is not supported).
using DropoutOptions = NoiseOptions;

/// Inverted dropout: training output x * mask / (1 - rate) with mask ~ Bernoulli(1 - rate) per element, so the
/// expected output equals x; the identity at inference (predict, evaluate) and when rate = 0, where forward returns
/// x itself rather than a copy.
class Dropout : public NoiseLayer {
 public:
  /// rate in [0, 1): the fraction of inputs dropped.
  explicit Dropout(double rate, DropoutOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "Dropout"; }
  const Matrix& forward(const Matrix& x, bool training) override;
  /// dx = dy * mask / (1 - rate) with the mask of the last forward; dy itself after an identity forward.
  const Matrix& backward(const Matrix& dy) override;
  nlohmann::json config() const override;

  double rate() const { return rate_; }

 private:
  double rate_;
  bool dropped_ = false;  // whether the last forward applied a mask
  Matrix scale_;          // per element 0 or 1 / (1 - rate), of the last training forward
  Matrix y_, dx_;
};

}  // namespace descent::nn
