#include "conv2d_transpose.hpp"

namespace descent::nn {

std::unique_ptr<Layer> Conv2DTranspose::from_config(ConfigReader& r) {
  ConvOptions options;
  auto [filters, kernel_size] = read_config(r, "Conv2DTranspose", 2, options);
  return std::make_unique<Conv2DTranspose>(filters, std::move(kernel_size), std::move(options));
}

}  // namespace descent::nn
