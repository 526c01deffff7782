// ZeroPadding1D: options and config; MarginLayer pads.
#include "zero_padding1d.hpp"

#include "detail/spatial.hpp"

#include <descent/core/config.hpp>
#include <descent/nn/detail/data_format.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

ZeroPadding1D::ZeroPadding1D(ZeroPadding1DOptions options)
    : MarginLayer(Kind::pad, {options.padding, 0}, "ZeroPadding1D", "padding", 2, "(steps, features)"),
      options_(std::move(options)) {
  check_data_format(options_.data_format, "ZeroPadding1D");
  name_ = options_.name;
}

json ZeroPadding1D::config() const {
  return {{"name", name_}, {"padding", margins_json()}, {"data_format", options_.data_format}};
}

std::unique_ptr<Layer> ZeroPadding1D::from_config(ConfigReader& r) {
  ZeroPadding1DOptions o;
  o.padding = reshaping::read_margins(r, "padding", o.padding);
  o.data_format = read_data_format(r);
  o.name = read_common(r);
  r.finish();
  return std::make_unique<ZeroPadding1D>(o);
}

}  // namespace descent::nn
