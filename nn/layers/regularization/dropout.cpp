// Dropout forward and backward. Shapes: x, y, dy, dx all (n, features); the mask is drawn per element.
#include "dropout.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/core/random.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

Dropout::Dropout(double rate, DropoutOptions options) : NoiseLayer(std::move(options)), rate_(rate) {
  // Keras allows rate = 1, which divides by zero; the negated test also rejects NaN.
  check(rate_ >= 0.0 && rate_ < 1.0, "Dropout: invalid rate. Expected 0 <= rate < 1; received rate=", rate_, ".");
}

const Matrix& Dropout::forward(const Matrix& x, bool training) {
  check_input(x);
  dropped_ = training && rate_ > 0.0;
  if (!dropped_) return x;
  const Scalar kept = static_cast<Scalar>(1.0 / (1.0 - rate_));
  scale_.resize(x.rows(), x.cols());
  for (Index i = 0; i < scale_.size(); ++i) scale_.data()[i] = uniform01(rng_) < rate_ ? Scalar(0) : kept;
  y_.resize(x.rows(), x.cols());
  y_.array() = x.array() * scale_.array();
  return y_;
}

const Matrix& Dropout::backward(const Matrix& dy) {
  if (!input_gradient_needed_) return none_;
  if (!dropped_) return dy;
  check(dy.rows() == scale_.rows() && dy.cols() == scale_.cols(), "Dropout '", name_, "': backward expected dy of ",
        scale_.rows(), " x ", scale_.cols(), "; received ", dy.rows(), " x ", dy.cols(), ".");
  dx_.resize(dy.rows(), dy.cols());
  dx_.array() = dy.array() * scale_.array();
  return dx_;
}

json Dropout::config() const {
  json config = noise_config();
  config["rate"] = rate_;
  config["noise_shape"] = nullptr;
  return config;
}

std::unique_ptr<Layer> Dropout::from_config(ConfigReader& r) {
  double rate = 0.0;
  const bool given = r.find("rate") != nullptr;
  r.read("rate", rate);
  DropoutOptions o = read_noise_options(r);
  refuse_if_set(r, "noise_shape", "noise_shape (one mask shared along an axis)");
  r.finish();
  check_at(given, r.path("rate"), "missing. Expected a number in [0, 1).");
  return std::make_unique<Dropout>(rate, o);
}

}  // namespace descent::nn
