#include "max_pooling.hpp"

namespace descent::nn {

std::unique_ptr<Layer> MaxPooling1D::from_config(ConfigReader& r) {
  Tuple pool_size = 2;
  PoolingOptions options = read_options(r, "MaxPooling1D", pool_size);
  return std::make_unique<MaxPooling1D>(std::move(pool_size), std::move(options));
}

std::unique_ptr<Layer> MaxPooling2D::from_config(ConfigReader& r) {
  Tuple pool_size = 2;
  PoolingOptions options = read_options(r, "MaxPooling2D", pool_size);
  return std::make_unique<MaxPooling2D>(std::move(pool_size), std::move(options));
}

}  // namespace descent::nn
