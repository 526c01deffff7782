#include "conv2d.hpp"

#include <descent/core/config.hpp>

namespace descent::nn {

std::unique_ptr<Layer> Conv2D::from_config(ConfigReader& r) {
  const Index filters = read_filters(r);
  Tuple kernel_size = 1;
  ConvOptions options = read_options(r, "Conv2D", 2, kernel_size);
  r.read("groups", options.groups);
  r.finish();
  return std::make_unique<Conv2D>(filters, std::move(kernel_size), std::move(options));
}

}  // namespace descent::nn
