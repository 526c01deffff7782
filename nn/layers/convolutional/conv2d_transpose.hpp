// Conv2DTranspose: the transposed convolution over samples of shape (height, width, channels), kernel
// (kh, kw, filters, channels).
#pragma once

#include "base_conv_transpose.hpp"

namespace descent::nn {

class Conv2DTranspose : public BaseConvTranspose {
 public:
  Conv2DTranspose(Index filters, Tuple kernel_size, ConvOptions options = {})
      : BaseConvTranspose(2, filters, std::move(kernel_size), std::move(options)) {}
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "Conv2DTranspose"; }
};

}  // namespace descent::nn
