// Cropping1D: options and config; MarginLayer crops.
#include "cropping1d.hpp"

#include "detail/spatial.hpp"

#include <descent/core/config.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

Cropping1D::Cropping1D(Cropping1DOptions options)
    : MarginLayer(Kind::crop, {options.cropping, 0}, "Cropping1D", "cropping", 2, "(steps, features)"),
      options_(std::move(options)) {
  name_ = options_.name;
}

json Cropping1D::config() const { return {{"name", name_}, {"cropping", margins_json()}}; }

std::unique_ptr<Layer> Cropping1D::from_config(ConfigReader& r) {
  Cropping1DOptions o;
  o.cropping = reshaping::read_margins(r, "cropping", o.cropping);
  o.name = read_common(r);
  r.finish();
  return std::make_unique<Cropping1D>(o);
}

}  // namespace descent::nn
