// LayerNormalization forward and backward. Shapes: x, xhat, y, dy, dx (n, features); statistics n x 1.
//
// Per row, with xhat = (x - mean) * inv_std and dxhat = dy * gamma, the row statistics' dependence on x gives
// dx = inv_std * (dxhat - mean_f(dxhat) - xhat * mean_f(dxhat * xhat)), the means over the row's features.
// Ba, Kiros & Hinton 2016, https://arxiv.org/abs/1607.06450.
#include "layer_normalization.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::nn {

LayerNormalization::LayerNormalization(LayerNormalizationOptions options)
    : NormalizationLayer(scale_offset_spec(options)), options_(std::move(options)) {
  check_feature_axis(options_.axis, "LayerNormalization");
  check(std::isfinite(options_.epsilon) && options_.epsilon >= 0.0,
        "LayerNormalization: invalid epsilon. Expected a finite epsilon >= 0; received epsilon=", options_.epsilon,
        ".");
  name_ = options_.name;
}

void LayerNormalization::build_weights(const Shape& input_shape, Rng& rng) {
  build_affine(input_shape, options_.axis, rng);
}

const Matrix& LayerNormalization::forward(const Matrix& input, bool) {
  const Index features = affine_.features();
  check(features > 0, "LayerNormalization '", name_, "': used before build().");
  check_input(input);
  const auto x = rows_of(input);  // each position of each sample normalized over its channels
  const Scalar eps = static_cast<Scalar>(options_.epsilon);
  mean_.noalias() = x.rowwise().mean();
  xhat_.resize(x.rows(), features);
  xhat_ = x.colwise() - mean_;
  inv_std_.noalias() = xhat_.cwiseAbs2().rowwise().mean();
  inv_std_.array() = (inv_std_.array() + eps).rsqrt();
  xhat_.array().colwise() *= inv_std_.array();
  affine_.apply(xhat_, y_);
  to_sample_rows(y_, input.rows());
  return y_;
}

const Matrix& LayerNormalization::backward(const Matrix& dy_samples) {
  const auto dy = rows_of(dy_samples);
  if (!backward_to_xhat(dy)) return none_;
  dx_.resize(dy.rows(), dy.cols());
  mean_dxhat_.noalias() = dxhat_.rowwise().mean();
  dx_.array() = dxhat_.array() * xhat_.array();  // staged in dx_ so the row mean needs no temporary
  mean_dxhat_xhat_.noalias() = dx_.rowwise().mean();
  dx_.array() = dxhat_.array().colwise() - mean_dxhat_.array();
  dx_.array() -= xhat_.array().colwise() * mean_dxhat_xhat_.array();
  dx_.array().colwise() *= inv_std_.array();
  to_sample_rows(dx_, dy_samples.rows());
  return dx_;
}

json LayerNormalization::config() const {
  json c = {{"name", name_}, {"axis", options_.axis}, {"epsilon", options_.epsilon}};
  affine_.add_config(c);
  return c;
}

std::unique_ptr<Layer> LayerNormalization::from_config(ConfigReader& r) {
  LayerNormalizationOptions o;
  o.axis = read_feature_axis(r);
  r.read("epsilon", o.epsilon);
  set_scale_offset(o, read_scale_offset(r));
  o.name = read_common(r);
  // Keras 3 writes rms_scaling (default false); true, which Keras itself deprecates, scales by the variance.
  bool rms_scaling = false;
  r.read("rms_scaling", rms_scaling);
  check_at(!rms_scaling, r.path("rms_scaling"),
        "rms_scaling is not supported. Expected false; received true. Keras deprecates it in favour of "
        "RMSNormalization.");
  r.finish();
  return std::make_unique<LayerNormalization>(o);
}

}  // namespace descent::nn
