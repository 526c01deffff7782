// GaussianNoise: adds zero-mean normal noise in training, a regularizer (keras.layers.GaussianNoise).
#pragma once

#include "noise_layer.hpp"

#include <memory>

namespace descent::nn {

/// Keras GaussianNoise keyword arguments besides stddev.
using GaussianNoiseOptions = NoiseOptions;

/// Training output x + stddev * N(0, 1) per element; the identity at inference and when stddev = 0, where forward
/// returns x itself. The noise does not depend on x, so backward returns dy itself.
class GaussianNoise : public NoiseLayer {
 public:
  /// stddev in [0, 1], as Keras 3 requires.
  explicit GaussianNoise(double stddev, GaussianNoiseOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "GaussianNoise"; }
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  nlohmann::json config() const override;

  double stddev() const { return stddev_; }

 private:
  double stddev_;
  Index rows_ = 0;  // of the last forward, to check dy
  Matrix y_;
};

}  // namespace descent::nn
