// SpatialDropout forward and backward. Shapes: x, y, dy, dx (n, positions * channels), a sample's values in
// (positions, channels) row-major order; the mask scale_ (n, channels), broadcast over each sample's positions.
#include "spatial_dropout.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/core/random.hpp>
#include <descent/nn/detail/data_format.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

namespace {

// Sample i of a batch as a (positions x channels) matrix.
using Sample = Eigen::Map<Matrix>;
using ConstSample = Eigen::Map<const Matrix>;

}  // namespace

SpatialDropout::SpatialDropout(double rate, NoiseOptions options, const char* layer, std::size_t rank,
                               const char* axes)
    : NoiseLayer(std::move(options)), rate_(rate), rank_(rank), axes_(axes) {
  // Keras allows rate = 1, which divides by zero; the negated test also rejects NaN.
  check(rate_ >= 0.0 && rate_ < 1.0, layer, ": invalid rate. Expected 0 <= rate < 1; received rate=", rate_, ".");
}

void SpatialDropout::build_weights(const Shape& input_shape, Rng& rng) {
  if (input_shape.rank() != rank_)
    fail(str(where(), ": expected samples of shape ", axes_, "; received samples of shape ", input_shape, "."));
  channels_ = input_shape.back();
  NoiseLayer::build_weights(input_shape, rng);
}

const Matrix& SpatialDropout::forward(const Matrix& x, bool training) {
  check_input(x);
  dropped_ = training && rate_ > 0.0;
  if (!dropped_) return x;
  const Scalar kept = static_cast<Scalar>(1.0 / (1.0 - rate_));
  scale_.resize(x.rows(), channels_);
  for (Index i = 0; i < scale_.size(); ++i) scale_.data()[i] = uniform01(rng_) < rate_ ? Scalar(0) : kept;
  y_.resize(x.rows(), x.cols());
  const Index positions = x.cols() / channels_;
  for (Index i = 0; i < x.rows(); ++i)
    Sample(y_.row(i).data(), positions, channels_).array() =
        ConstSample(x.row(i).data(), positions, channels_).array().rowwise() * scale_.row(i).array();
  return y_;
}

const Matrix& SpatialDropout::backward(const Matrix& dy) {
  if (!input_gradient_needed_) return none_;
  if (!dropped_) return dy;
  if (dy.rows() != y_.rows() || dy.cols() != y_.cols())
    fail(str(where(), ": backward expected dy of ", y_.rows(), " x ", y_.cols(), "; received ", dy.rows(), " x ",
             dy.cols(), "."));
  dx_.resize(dy.rows(), dy.cols());
  const Index positions = dy.cols() / channels_;
  for (Index i = 0; i < dy.rows(); ++i)
    Sample(dx_.row(i).data(), positions, channels_).array() =
        ConstSample(dy.row(i).data(), positions, channels_).array().rowwise() * scale_.row(i).array();
  return dx_;
}

json SpatialDropout::spatial_config() const {
  json config = noise_config();
  config["rate"] = rate_;
  return config;
}

NoiseOptions SpatialDropout::read_spatial_options(ConfigReader& r, std::optional<double>& rate) {
  r.read("rate", rate);
  refuse_if_set(r, "noise_shape", "noise_shape (the mask's shape is the layer's own)");
  return read_noise_options(r);
}

double SpatialDropout::required_rate(const ConfigReader& r, const std::optional<double>& rate) {
  check_at(rate.has_value(), r.path("rate"), "missing. Expected a number in [0, 1).");
  return *rate;
}

SpatialDropout1D::SpatialDropout1D(double rate, SpatialDropout1DOptions options)
    : SpatialDropout(rate, std::move(options), "SpatialDropout1D", 2, "(steps, channels)") {}

json SpatialDropout1D::config() const { return spatial_config(); }

std::unique_ptr<Layer> SpatialDropout1D::from_config(ConfigReader& r) {
  std::optional<double> rate;
  NoiseOptions o = read_spatial_options(r, rate);
  r.finish();  // a misspelled "rat" is reported as such, not as a missing "rate"
  return std::make_unique<SpatialDropout1D>(required_rate(r, rate), o);
}

SpatialDropout2D::SpatialDropout2D(double rate, SpatialDropout2DOptions options)
    : SpatialDropout(rate, {.seed = options.seed, .name = std::move(options.name)}, "SpatialDropout2D", 3,
                     "(height, width, channels)"),
      data_format_(std::move(options.data_format)) {
  check_data_format(data_format_, "SpatialDropout2D");
}

json SpatialDropout2D::config() const {
  json config = spatial_config();
  config["data_format"] = data_format_;
  return config;
}

std::unique_ptr<Layer> SpatialDropout2D::from_config(ConfigReader& r) {
  std::optional<double> rate;
  NoiseOptions noise = read_spatial_options(r, rate);
  SpatialDropout2DOptions o{.seed = noise.seed, .name = noise.name, .data_format = read_data_format(r)};
  r.finish();
  return std::make_unique<SpatialDropout2D>(required_rate(r, rate), o);
}

}  // namespace descent::nn
