// BasePooling: MaxPooling1D/2D and AveragePooling1D/2D, the largest or the mean value of each window, per channel.
#pragma once

#include <descent/nn/layer.hpp>
#include <descent/nn/window.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras pooling keyword arguments after pool_size, with Keras's defaults. Field order is API: only append.
struct PoolingOptions {
  std::optional<Tuple> strides;   ///< unset: pool_size, as Keras's strides=None
  std::string padding = "valid";  ///< "valid" or "same"
  std::string name;
};

/// A pool over `rank` spatial axes (1: samples (steps, channels); 2: (height, width, channels)). With "same", the
/// windows at the border cover fewer inputs: max takes the largest of those, average divides by their count (padding
/// is not counted, as TensorFlow's pools).
class BasePooling : public Layer {
 public:
  enum class Reduce { max, average };
  BasePooling(std::size_t rank, Reduce reduce, Tuple pool_size, PoolingOptions options);

  Shape compute_output_shape(const Shape& input_shape) const override;
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  nlohmann::json config() const override;

 protected:
  void build_weights(const Shape& input_shape, Rng& rng) override;
  /// Reads pool_size, strides, padding, data_format and name of `class_name`'s config.
  static PoolingOptions read_options(ConfigReader& r, const char* class_name, Tuple& pool_size);

 private:
  Window2D window(const Shape& input_shape) const;

  std::size_t rank_;
  Reduce reduce_;
  std::vector<Index> pool_size_, strides_;
  Padding padding_;
  PoolingOptions options_;
  Window2D window_;
  std::vector<std::int32_t> argmax_;  // max: the input (position * channels + channel) each output came from
  Matrix y_, dx_;
};

}  // namespace descent::nn
