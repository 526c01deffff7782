// ZeroPadding2D: options and config; MarginLayer pads.
#include "zero_padding2d.hpp"

#include "detail/spatial.hpp"

#include <descent/core/config.hpp>
#include <descent/nn/detail/data_format.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

ZeroPadding2D::ZeroPadding2D(ZeroPadding2DOptions options)
    : MarginLayer(Kind::pad, options.padding, "ZeroPadding2D", "padding", 3, "(height, width, channels)"),
      options_(std::move(options)) {
  check_data_format(options_.data_format, "ZeroPadding2D");
  name_ = options_.name;
}

json ZeroPadding2D::config() const {
  return {{"name", name_}, {"padding", margins_json()}, {"data_format", options_.data_format}};
}

std::unique_ptr<Layer> ZeroPadding2D::from_config(ConfigReader& r) {
  ZeroPadding2DOptions o;
  o.padding = reshaping::read_margins_2d(r, "padding", o.padding);
  o.data_format = read_data_format(r);
  o.name = read_common(r);
  r.finish();
  return std::make_unique<ZeroPadding2D>(o);
}

}  // namespace descent::nn
