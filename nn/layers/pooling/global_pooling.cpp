#include "global_pooling.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/data_format.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

#include <limits>

namespace descent::nn {

GlobalPooling::GlobalPooling(std::size_t rank, Reduce reduce, GlobalPoolingOptions options)
    : rank_(rank), reduce_(reduce), options_(std::move(options)) {
  name_ = options_.name;
}

Shape GlobalPooling::compute_output_shape(const Shape& input_shape) const {
  check(input_shape.rank() == rank_ + 1, where(), ": expected samples of shape ",
        rank_ == 1 ? "(steps, channels)" : "(height, width, channels)", "; received samples of shape ", input_shape,
        ".");
  if (!options_.keepdims) return Shape(input_shape.back());
  return rank_ == 1 ? Shape{1, input_shape.back()} : Shape{1, 1, input_shape.back()};
}

void GlobalPooling::build_weights(const Shape& input_shape, Rng&) {
  compute_output_shape(input_shape);  // checks the rank
  channels_ = input_shape.back();
  positions_ = input_shape.size() / channels_;
  check(positions_ <= std::numeric_limits<std::int32_t>::max(), where(), ": too many positions (input shape ",
        input_shape, ").");
}

const Matrix& GlobalPooling::forward(const Matrix& x, bool) {
  check_input(x);
  const Index n = x.rows();
  y_.resize(n, channels_);
  if (reduce_ == Reduce::average) {
    // Each row holds `positions` runs of `channels` values: the mean of the runs.
    for (Index s = 0; s < n; ++s)
      y_.row(s) = Eigen::Map<const Matrix>(x.data() + s * x.cols(), positions_, channels_).colwise().mean();
    return y_;
  }
  argmax_.resize(static_cast<std::size_t>(n * channels_));
  for (Index s = 0; s < n; ++s) {
    const Scalar* in = x.data() + s * x.cols();
    Scalar* out = y_.data() + s * channels_;
    std::int32_t* from = argmax_.data() + s * channels_;
    for (Index c = 0; c < channels_; ++c) out[c] = in[c], from[c] = 0;
    for (Index p = 1; p < positions_; ++p)
      for (Index c = 0; c < channels_; ++c)
        if (in[p * channels_ + c] > out[c]) out[c] = in[p * channels_ + c], from[c] = static_cast<std::int32_t>(p);
  }
  return y_;
}

const Matrix& GlobalPooling::backward(const Matrix& dy) {
  const Index n = y_.rows();
  check(dy.rows() == n && dy.cols() == channels_, where(), ": backward expected dy of ", n, " x ", channels_,
        "; received ", dy.rows(), " x ", dy.cols(), ".");
  if (!input_gradient_needed_) return dx_;
  if (reduce_ == Reduce::average) {
    dx_.resize(n, positions_ * channels_);
    const Scalar inverse = Scalar(1) / static_cast<Scalar>(positions_);
    for (Index s = 0; s < n; ++s)
      Eigen::Map<Matrix>(dx_.data() + s * dx_.cols(), positions_, channels_).rowwise() = dy.row(s) * inverse;
    return dx_;
  }
  dx_.setZero(n, positions_ * channels_);
  for (Index s = 0; s < n; ++s)
    for (Index c = 0; c < channels_; ++c)
      dx_(s, argmax_[static_cast<std::size_t>(s * channels_ + c)] * channels_ + c) = dy(s, c);
  return dx_;
}

json GlobalPooling::config() const {
  return {{"name", name_}, {"data_format", "channels_last"}, {"keepdims", options_.keepdims}};
}

GlobalPoolingOptions GlobalPooling::read_options(ConfigReader& r, const char* class_name) {
  GlobalPoolingOptions o;
  r.read("keepdims", o.keepdims);
  within(r.path("data_format"), [&] { check_data_format(read_data_format(r), class_name); });
  o.name = read_common(r);
  return o;
}

}  // namespace descent::nn
