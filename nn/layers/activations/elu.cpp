// ELU forward and backward. Shapes: x, y, dy, dx all (n, values per sample).
#include "elu.hpp"

#include <descent/core/config.hpp>
#include <descent/core/detail/parallel.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::nn {

ELU::ELU(ELUOptions options) : options_(std::move(options)) {
  // Keras checks nothing; a NaN or infinite alpha would only make every negative input NaN.
  check(std::isfinite(options_.alpha), "ELU: invalid alpha. Expected a finite number; received alpha=",
        options_.alpha, ".");
  name_ = options_.name;
}

// e^x - 1 rather than expm1: TensorFlow's and TF.js's kernels compute it so, and Descent matches their numbers.
const Matrix& ELU::forward(const Matrix& x, bool) {
  start_forward(x);
  const Scalar alpha = static_cast<Scalar>(options_.alpha);
  detail::for_row_blocks(x.rows(), x.cols(), [&](Index first, Index count) {
    y_.middleRows(first, count) = x.middleRows(first, count).unaryExpr(
        [=](Scalar v) { return v > Scalar(0) ? v : alpha * (std::exp(v) - Scalar(1)); });
  });
  return y_;
}

// For x <= 0, d/dx alpha * (e^x - 1) = alpha * e^x = y + alpha.
const Matrix& ELU::backward(const Matrix& dy) {
  if (!start_backward(dy)) return none_;
  const Scalar alpha = static_cast<Scalar>(options_.alpha);
  detail::for_row_blocks(x_->rows(), x_->cols(), [&](Index first, Index count) {
    dx_.middleRows(first, count).array() =
        dy.middleRows(first, count).array() *
        (x_->middleRows(first, count).array() > Scalar(0))
            .select(Scalar(1), y_.middleRows(first, count).array() + alpha);
  });
  return dx_;
}

json ELU::config() const { return {{"name", name_}, {"alpha", options_.alpha}}; }

std::unique_ptr<Layer> ELU::from_config(ConfigReader& r) {
  ELUOptions o;
  r.read("alpha", o.alpha);
  o.name = read_common(r);
  r.finish();
  return std::make_unique<ELU>(o);
}

}  // namespace descent::nn
