#include "average_pooling.hpp"

namespace descent::nn {

std::unique_ptr<Layer> AveragePooling1D::from_config(ConfigReader& r) {
  Tuple pool_size = 2;
  PoolingOptions options = read_options(r, "AveragePooling1D", pool_size);
  return std::make_unique<AveragePooling1D>(std::move(pool_size), std::move(options));
}

std::unique_ptr<Layer> AveragePooling2D::from_config(ConfigReader& r) {
  Tuple pool_size = 2;
  PoolingOptions options = read_options(r, "AveragePooling2D", pool_size);
  return std::make_unique<AveragePooling2D>(std::move(pool_size), std::move(options));
}

}  // namespace descent::nn
