// AveragePooling1D and AveragePooling2D: the mean of each window (padding not counted), per channel.
#pragma once

#include "base_pooling.hpp"

namespace descent::nn {

class AveragePooling1D : public BasePooling {
 public:
  explicit AveragePooling1D(Tuple pool_size = 2, PoolingOptions options = {})
      : BasePooling(1, Reduce::average, std::move(pool_size), std::move(options)) {}
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "AveragePooling1D"; }
};

class AveragePooling2D : public BasePooling {
 public:
  explicit AveragePooling2D(Tuple pool_size = 2, PoolingOptions options = {})
      : BasePooling(2, Reduce::average, std::move(pool_size), std::move(options)) {}
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "AveragePooling2D"; }
};

}  // namespace descent::nn
