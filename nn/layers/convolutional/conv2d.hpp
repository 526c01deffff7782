// Conv2D: a convolution over samples of shape (height, width, channels), kernel (kh, kw, channels / groups, filters).
#pragma once

#include "base_conv.hpp"

namespace descent::nn {

class Conv2D : public BaseConv {
 public:
  Conv2D(Index filters, Tuple kernel_size, ConvOptions options = {})
      : BaseConv(2, filters, std::move(kernel_size), std::move(options)) {}
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "Conv2D"; }
};

}  // namespace descent::nn
