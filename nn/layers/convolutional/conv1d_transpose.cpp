#include "conv1d_transpose.hpp"

namespace descent::nn {

std::unique_ptr<Layer> Conv1DTranspose::from_config(ConfigReader& r) {
  ConvOptions options;
  auto [filters, kernel_size] = read_config(r, "Conv1DTranspose", 1, options);
  return std::make_unique<Conv1DTranspose>(filters, std::move(kernel_size), std::move(options));
}

}  // namespace descent::nn
