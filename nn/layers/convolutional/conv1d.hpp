// Conv1D: a convolution along the steps of samples of shape (steps, channels); padding may also be "causal".
#pragma once

#include "base_conv.hpp"

namespace descent::nn {

class Conv1D : public BaseConv {
 public:
  Conv1D(Index filters, Tuple kernel_size, ConvOptions options = {})
      : BaseConv(1, filters, std::move(kernel_size), std::move(options)) {}
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "Conv1D"; }
};

}  // namespace descent::nn
