// MaxPooling1D and MaxPooling2D: the largest value of each window, per channel.
#pragma once

#include "base_pooling.hpp"

namespace descent::nn {

class MaxPooling1D : public BasePooling {
 public:
  explicit MaxPooling1D(Tuple pool_size = 2, PoolingOptions options = {})
      : BasePooling(1, Reduce::max, std::move(pool_size), std::move(options)) {}
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "MaxPooling1D"; }
};

class MaxPooling2D : public BasePooling {
 public:
  explicit MaxPooling2D(Tuple pool_size = 2, PoolingOptions options = {})
      : BasePooling(2, Reduce::max, std::move(pool_size), std::move(options)) {}
  static std::unique_ptr<Layer> from_config(ConfigReader& r);
  std::string class_name() const override { return "MaxPooling2D"; }
};

}  // namespace descent::nn
