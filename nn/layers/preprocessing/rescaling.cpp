// Rescaling forward and backward. Shapes: x, y, dy, dx all (n, values per sample).
#include "rescaling.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::nn {

Rescaling::Rescaling(double scale, RescalingOptions options) : scale_(scale), options_(std::move(options)) {
  check(std::isfinite(scale_), "Rescaling: invalid scale. Expected a finite number; received scale=", scale_, ".");
  check(std::isfinite(options_.offset), "Rescaling: invalid offset. Expected a finite number; received offset=",
        options_.offset, ".");
  name_ = options_.name;
}

const Matrix& Rescaling::forward(const Matrix& x, bool) {
  check_input(x);
  y_.resize(x.rows(), x.cols());
  y_.array() = x.array() * static_cast<Scalar>(scale_) + static_cast<Scalar>(options_.offset);
  return y_;
}

const Matrix& Rescaling::backward(const Matrix& dy) {
  if (dy.rows() != y_.rows() || dy.cols() != y_.cols())
    fail(str(where(), ": backward expected dy of ", y_.rows(), " x ", y_.cols(), "; received ", dy.rows(), " x ",
             dy.cols(), "."));
  if (!input_gradient_needed_) return none_;
  dx_.resize(dy.rows(), dy.cols());
  dx_.array() = dy.array() * static_cast<Scalar>(scale_);
  return dx_;
}

json Rescaling::config() const { return {{"name", name_}, {"scale", scale_}, {"offset", options_.offset}}; }

std::unique_ptr<Layer> Rescaling::from_config(ConfigReader& r) {
  // Keras 3 writes a NumPy array of scales as an object, a Python list as a list: per-channel, not supported.
  for (const char* key : {"scale", "offset"})
    if (const json* v = r.find(key); v && v->is_structured())
      fail_at(r.path(key), str("a per-channel ", key, " (", describe(*v), ") is not supported. Expected a number."));
  double scale = 1.0;
  const bool given = r.find("scale") != nullptr;
  r.read("scale", scale);
  RescalingOptions o;
  r.read("offset", o.offset);
  o.name = read_common(r);
  r.finish();
  check_at(given, r.path("scale"), "missing. Expected a number, such as 1/255.");
  return std::make_unique<Rescaling>(scale, o);
}

}  // namespace descent::nn
