// UpSampling1D: options and config; UpSamplingLayer repeats.
#include "up_sampling1d.hpp"

#include <descent/core/config.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

UpSampling1D::UpSampling1D(UpSampling1DOptions options)
    : UpSamplingLayer(options.size, 1, "UpSampling1D", 2, "(steps, features)"), options_(std::move(options)) {
  name_ = options_.name;
}

json UpSampling1D::config() const { return {{"name", name_}, {"size", options_.size}}; }

std::unique_ptr<Layer> UpSampling1D::from_config(ConfigReader& r) {
  UpSampling1DOptions o;
  long size = o.size;
  r.read("size", size);
  o.size = size;
  o.name = read_common(r);
  r.finish();
  return std::make_unique<UpSampling1D>(o);
}

}  // namespace descent::nn
