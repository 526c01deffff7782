// GaussianNoise forward and backward. Shapes: x, y, dy, dx all (n, features).
#include "gaussian_noise.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/core/random.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

GaussianNoise::GaussianNoise(double stddev, GaussianNoiseOptions options)
    : NoiseLayer(std::move(options)), stddev_(stddev) {
  check(stddev_ >= 0.0 && stddev_ <= 1.0, "GaussianNoise: invalid stddev. Expected 0 <= stddev <= 1; received stddev=",
        stddev_, ".");
}

const Matrix& GaussianNoise::forward(const Matrix& x, bool training) {
  check_input(x);
  rows_ = x.rows();
  if (!training || stddev_ == 0.0) return x;
  y_.resize(x.rows(), x.cols());
  for (Index i = 0; i < y_.size(); ++i)
    y_.data()[i] = x.data()[i] + static_cast<Scalar>(stddev_ * standard_normal(rng_));
  return y_;
}

const Matrix& GaussianNoise::backward(const Matrix& dy) {
  check(dy.rows() == rows_ && (input_shape_.empty() || dy.cols() == input_dim()), "GaussianNoise '", name_,
        "': backward expected dy of ", rows_, " x ", input_dim(), "; received ", dy.rows(), " x ", dy.cols(), ".");
  return input_gradient_needed_ ? dy : none_;
}

json GaussianNoise::config() const {
  json config = noise_config();
  config["stddev"] = stddev_;
  return config;
}

std::unique_ptr<Layer> GaussianNoise::from_config(ConfigReader& r) {
  double stddev = 0.0;
  const bool given = r.find("stddev") != nullptr;
  r.read("stddev", stddev);
  GaussianNoiseOptions o = read_noise_options(r);
  r.finish();
  check_at(given, r.path("stddev"), "missing. Expected a number in [0, 1].");
  return std::make_unique<GaussianNoise>(stddev, o);
}

}  // namespace descent::nn
