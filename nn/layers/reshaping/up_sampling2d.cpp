// UpSampling2D: options and config; UpSamplingLayer repeats.
#include "up_sampling2d.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/core/text.hpp>
#include <descent/nn/detail/data_format.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <limits>

namespace descent::nn {

namespace {

// The two factors: size.expand checks how many there are (UpSamplingLayer checks their values). Its Error is
// rethrown without a place, so that a config's reader still adds the JSON path.
std::vector<Index> factors_of(const Tuple& size) {
  try {
    return size.expand(2, "size", std::numeric_limits<Index>::min());
  } catch (const Error& e) {
    fail(str("UpSampling2D: ", e.what()));
  }
}

}  // namespace

UpSampling2D::UpSampling2D(UpSampling2DOptions options) : UpSampling2D(options, factors_of(options.size)) {}

UpSampling2D::UpSampling2D(const UpSampling2DOptions& options, std::vector<Index> factors)
    : UpSamplingLayer(factors[0], factors[1], "UpSampling2D", 3, "(height, width, channels)"), options_(options) {
  options_.size = Tuple(std::move(factors));
  check_data_format(options_.data_format, "UpSampling2D");
  // Keras lower-cases the name; its other methods resize by interpolation, which Descent does not have.
  std::string& interpolation = options_.interpolation;
  std::transform(interpolation.begin(), interpolation.end(), interpolation.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  check(interpolation == "nearest", "UpSampling2D: interpolation=", quoted(interpolation),
        " is not supported. Expected interpolation=\"nearest\" (pixels repeated); Keras's \"bilinear\", \"bicubic\", ",
        "\"lanczos3\" and \"lanczos5\" resize by interpolation, which Descent does not implement.");
  name_ = options_.name;
}

json UpSampling2D::config() const {
  return {{"name", name_},
          {"size", options_.size.values()},
          {"data_format", options_.data_format},
          {"interpolation", options_.interpolation}};
}

std::unique_ptr<Layer> UpSampling2D::from_config(ConfigReader& r) {
  UpSampling2DOptions o;
  read_tuple(r, "size", o.size);
  o.data_format = read_data_format(r);
  r.read("interpolation", o.interpolation);
  o.name = read_common(r);
  r.finish();
  return std::make_unique<UpSampling2D>(o);
}

}  // namespace descent::nn
