#include "conv1d.hpp"

namespace descent::nn {

std::unique_ptr<Layer> Conv1D::from_config(ConfigReader& r) {
  Index filters = 0;
  Tuple kernel_size = 1;
  ConvOptions options = read_options(r, 1, filters, kernel_size);
  return std::make_unique<Conv1D>(filters, std::move(kernel_size), std::move(options));
}

}  // namespace descent::nn
