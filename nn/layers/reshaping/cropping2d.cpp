// Cropping2D: options and config; MarginLayer crops.
#include "cropping2d.hpp"

#include "detail/spatial.hpp"

#include <descent/core/config.hpp>
#include <descent/nn/detail/data_format.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

Cropping2D::Cropping2D(Cropping2DOptions options)
    : MarginLayer(Kind::crop, options.cropping, "Cropping2D", "cropping", 3, "(height, width, channels)"),
      options_(std::move(options)) {
  check_data_format(options_.data_format, "Cropping2D");
  name_ = options_.name;
}

json Cropping2D::config() const {
  return {{"name", name_}, {"cropping", margins_json()}, {"data_format", options_.data_format}};
}

std::unique_ptr<Layer> Cropping2D::from_config(ConfigReader& r) {
  Cropping2DOptions o;
  o.cropping = reshaping::read_margins_2d(r, "cropping", o.cropping);
  o.data_format = read_data_format(r);
  o.name = read_common(r);
  r.finish();
  return std::make_unique<Cropping2D>(o);
}

}  // namespace descent::nn
