// LeakyReLU forward and backward. Shapes: x, y, dy, dx all (n, values per sample).
#include "leaky_relu.hpp"

#include <descent/core/config.hpp>
#include <descent/core/detail/parallel.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::nn {

LeakyReLU::LeakyReLU(LeakyReLUOptions options) : options_(std::move(options)) {
  check(std::isfinite(options_.negative_slope) && options_.negative_slope >= 0.0,
        "LeakyReLU: invalid negative_slope. Expected a number >= 0; received negative_slope=",
        options_.negative_slope, ".");
  name_ = options_.name;
}

const Matrix& LeakyReLU::forward(const Matrix& x, bool) {
  start_forward(x);
  const Scalar slope = static_cast<Scalar>(options_.negative_slope);
  detail::for_row_blocks(x.rows(), x.cols(), [&](Index first, Index count) {
    y_.middleRows(first, count) =
        x.middleRows(first, count).unaryExpr([=](Scalar v) { return v >= Scalar(0) ? v : slope * v; });
  });
  return y_;
}

const Matrix& LeakyReLU::backward(const Matrix& dy) {
  if (!start_backward(dy)) return none_;
  const Scalar slope = static_cast<Scalar>(options_.negative_slope);
  detail::for_row_blocks(x_->rows(), x_->cols(), [&](Index first, Index count) {
    dx_.middleRows(first, count) = dy.middleRows(first, count).binaryExpr(
        x_->middleRows(first, count), [=](Scalar g, Scalar v) { return v > Scalar(0) ? g : slope * g; });
  });
  return dx_;
}

json LeakyReLU::config() const { return {{"name", name_}, {"negative_slope", options_.negative_slope}}; }

std::unique_ptr<Layer> LeakyReLU::from_config(ConfigReader& r) {
  LeakyReLUOptions o;
  const bool keras3 = r.find("negative_slope") != nullptr, keras2 = r.find("alpha") != nullptr;
  check_at(!(keras3 && keras2), r.path("alpha"),
           "expected negative_slope (Keras 3) or alpha (Keras 2, TF.js), not both.");
  r.read("negative_slope", o.negative_slope);
  r.read("alpha", o.negative_slope);
  o.name = read_common(r);
  r.finish();
  return std::make_unique<LeakyReLU>(o);
}

}  // namespace descent::nn
