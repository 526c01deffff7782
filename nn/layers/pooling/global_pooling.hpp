// GlobalMaxPooling1D/2D and GlobalAveragePooling1D/2D: one value per channel, the largest or the mean over every
// position of the sample.
#pragma once

#include <descent/nn/layer.hpp>

#include <cstdint>
#include <vector>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

struct GlobalPoolingOptions {
  bool keepdims = false;  ///< keep the spatial axes, of size 1: (1, 1, channels) instead of (channels)
  std::string name;
};

class GlobalPooling : public Layer {
 public:
  enum class Reduce { max, average };
  GlobalPooling(std::size_t rank, Reduce reduce, GlobalPoolingOptions options);

  Shape compute_output_shape(const Shape& input_shape) const override;
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  nlohmann::json config() const override;

 protected:
  void build_weights(const Shape& input_shape, Rng& rng) override;
  static GlobalPoolingOptions read_options(ConfigReader& r, const char* class_name);

 private:
  std::size_t rank_;
  Reduce reduce_;
  GlobalPoolingOptions options_;
  Index positions_ = 0, channels_ = 0;
  std::vector<std::int32_t> argmax_;  // max: the position each channel's maximum came from
  Matrix y_, dx_;
};

#define DESCENT_GLOBAL_POOLING(Name, rank, reduce)                                                             \
  class Name : public GlobalPooling {                                                                          \
   public:                                                                                                     \
    explicit Name(GlobalPoolingOptions options = {}) : GlobalPooling(rank, Reduce::reduce, std::move(options)) {} \
    static std::unique_ptr<Layer> from_config(ConfigReader& r) {                                               \
      return std::make_unique<Name>(read_options(r, #Name));                                                          \
    }                                                                                                          \
    std::string class_name() const override { return #Name; }                                                 \
  };
DESCENT_GLOBAL_POOLING(GlobalMaxPooling1D, 1, max)
DESCENT_GLOBAL_POOLING(GlobalMaxPooling2D, 2, max)
DESCENT_GLOBAL_POOLING(GlobalAveragePooling1D, 1, average)
DESCENT_GLOBAL_POOLING(GlobalAveragePooling2D, 2, average)
#undef DESCENT_GLOBAL_POOLING

}  // namespace descent::nn
