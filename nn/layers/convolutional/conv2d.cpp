#include "conv2d.hpp"

namespace descent::nn {

std::unique_ptr<Layer> Conv2D::from_config(ConfigReader& r) {
  Index filters = 0;
  Tuple kernel_size = 1;
  ConvOptions options = read_options(r, 2, filters, kernel_size);
  return std::make_unique<Conv2D>(filters, std::move(kernel_size), std::move(options));
}

}  // namespace descent::nn
