// ReLU forward and backward. Shapes: x, y, dy, dx all (n, values per sample).
#include "relu.hpp"

#include <descent/core/config.hpp>
#include <descent/core/detail/parallel.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace descent::nn {

ReLU::ReLU(ReLUOptions options) : options_(std::move(options)) {
  // Keras's checks; the negated forms also reject NaN.
  if (options_.max_value)
    check(std::isfinite(*options_.max_value) && *options_.max_value >= 0.0,
          "ReLU: invalid max_value. Expected a number >= 0 or none; received max_value=", *options_.max_value, ".");
  check(std::isfinite(options_.negative_slope) && options_.negative_slope >= 0.0,
        "ReLU: invalid negative_slope. Expected a number >= 0; received negative_slope=", options_.negative_slope, ".");
  check(std::isfinite(options_.threshold) && options_.threshold >= 0.0,
        "ReLU: invalid threshold. Expected a number >= 0; received threshold=", options_.threshold, ".");
  name_ = options_.name;
}

const Matrix& ReLU::forward(const Matrix& x, bool) {
  start_forward(x);
  const Scalar cap = options_.max_value ? static_cast<Scalar>(*options_.max_value) : std::numeric_limits<Scalar>::infinity();
  const Scalar slope = static_cast<Scalar>(options_.negative_slope);
  const Scalar t = static_cast<Scalar>(options_.threshold);
  detail::for_row_blocks(x.rows(), x.cols(), [&](Index first, Index count) {
    y_.middleRows(first, count) = x.middleRows(first, count).unaryExpr([=](Scalar v) {
      return std::min(v > t ? v : Scalar(0), cap) - slope * std::max(t - v, Scalar(0));
    });
  });
  return y_;
}

const Matrix& ReLU::backward(const Matrix& dy) {
  if (!start_backward(dy)) return none_;
  const Scalar cap = options_.max_value ? static_cast<Scalar>(*options_.max_value) : std::numeric_limits<Scalar>::infinity();
  const Scalar slope = static_cast<Scalar>(options_.negative_slope);
  const Scalar t = static_cast<Scalar>(options_.threshold);
  // Keras's leaky_relu branch (a slope, threshold 0, no cap) takes the slope at x = 0; the general branch 0.
  const Scalar at_threshold = slope != 0 && t == 0 && !options_.max_value ? slope : Scalar(0);
  detail::for_row_blocks(x_->rows(), x_->cols(), [&](Index first, Index count) {
    dx_.middleRows(first, count) =
        dy.middleRows(first, count).binaryExpr(x_->middleRows(first, count), [=](Scalar g, Scalar v) {
          return g * (v > t && v < cap ? Scalar(1) : v < t ? slope : v == t ? at_threshold : Scalar(0));
        });
  });
  return dx_;
}

json ReLU::config() const {
  return {{"name", name_},
          {"max_value", options_.max_value ? json(*options_.max_value) : json(nullptr)},
          {"negative_slope", options_.negative_slope},
          {"threshold", options_.threshold}};
}

std::unique_ptr<Layer> ReLU::from_config(ConfigReader& r) {
  ReLUOptions o;
  r.read("max_value", o.max_value);
  r.read("negative_slope", o.negative_slope);
  r.read("threshold", o.threshold);
  o.name = read_common(r);
  r.finish();
  return std::make_unique<ReLU>(o);
}

}  // namespace descent::nn
