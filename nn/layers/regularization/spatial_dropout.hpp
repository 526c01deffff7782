// SpatialDropout1D and SpatialDropout2D: dropout of whole channels (feature maps) rather than single values
// (keras.layers.SpatialDropout1D / 2D, Tompson et al. 2015, https://arxiv.org/abs/1411.4280).
#pragma once

#include "noise_layer.hpp"

#include <memory>
#include <optional>
#include <string>

namespace descent::nn {

/// What the two share: in training, each channel of each sample is kept with probability 1 - rate and then scaled
/// by 1 / (1 - rate), or zeroed, one draw per (sample, channel) shared by all the sample's positions (Keras's
/// noise_shape (batch, 1, channels) and (batch, 1, 1, channels)); the identity at inference and when rate = 0,
/// where forward returns x itself.
class SpatialDropout : public NoiseLayer {
 public:
  const Matrix& forward(const Matrix& x, bool training) override;
  /// dx = dy times the last forward's per-channel scale; dy itself after an identity forward.
  const Matrix& backward(const Matrix& dy) override;
  /// Keras 3's SpatialDropout constructors take rate, seed, name and dtype only.
  bool config_has_trainable() const override { return false; }

  double rate() const { return rate_; }

 protected:
  /// `rank`: the sample rank the class takes, `axes` its names for messages ("(steps, channels)").
  SpatialDropout(double rate, NoiseOptions options, const char* layer, std::size_t rank, const char* axes);
  void build_weights(const Shape& input_shape, Rng& rng) override;
  /// {"name", "seed", "rate"}.
  nlohmann::json spatial_config() const;
  /// "rate", "seed", "name"; a null noise_shape (Keras 2 and TF.js write one) is passed over.
  static NoiseOptions read_spatial_options(ConfigReader& r, std::optional<double>& rate);
  /// The rate read, or an Error at "rate" when it was missing (called after ConfigReader::finish).
  static double required_rate(const ConfigReader& r, const std::optional<double>& rate);

 private:
  double rate_;
  std::size_t rank_;
  const char* axes_;
  Index channels_ = 0;
  bool dropped_ = false;  // whether the last forward applied a mask
  Matrix scale_;          // n x channels: 0 or 1 / (1 - rate), of the last training forward
  Matrix y_, dx_;
};

/// Keras SpatialDropout1D keyword arguments besides the rate.
using SpatialDropout1DOptions = NoiseOptions;

/// Samples of shape (steps, channels): drops whole channels along all steps.
class SpatialDropout1D : public SpatialDropout {
 public:
  /// rate in [0, 1): the fraction of channels dropped.
  explicit SpatialDropout1D(double rate, SpatialDropout1DOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "SpatialDropout1D"; }
  nlohmann::json config() const override;
};

/// Keras SpatialDropout2D keyword arguments besides the rate. Field order is API: only append.
struct SpatialDropout2DOptions {
  std::optional<std::uint64_t> seed;  ///< fixes the mask sequence; unset: drawn from the model's seed at build
  std::string name;
  std::string data_format = "channels_last";  ///< the only layout Descent has; "channels_first" is an Error
};

/// Samples of shape (height, width, channels): drops whole feature maps.
class SpatialDropout2D : public SpatialDropout {
 public:
  /// rate in [0, 1): the fraction of channels dropped.
  explicit SpatialDropout2D(double rate, SpatialDropout2DOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "SpatialDropout2D"; }
  nlohmann::json config() const override;

 private:
  std::string data_format_;
};

}  // namespace descent::nn
