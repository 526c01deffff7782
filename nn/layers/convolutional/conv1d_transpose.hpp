// Conv1DTranspose: the transposed convolution over samples of shape (steps, channels), kernel
// (k, filters, channels).
#pragma once

#include "base_conv_transpose.hpp"

namespace descent::nn {

class Conv1DTranspose : public BaseConvTranspose {
 public:
  Conv1DTranspose(Index filters, Tuple kernel_size, ConvOptions options = {})
      : BaseConvTranspose(1, filters, std::move(kernel_size), std::move(options)) {}
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "Conv1DTranspose"; }
};

}  // namespace descent::nn
