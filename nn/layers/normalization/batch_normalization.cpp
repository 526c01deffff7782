// BatchNormalization forward and backward. Shapes: x, xhat, y, dy, dx (n, features); statistics 1 x features.
//
// With xhat = (x - mean) * inv_std and dxhat = dy * gamma, the batch statistics' own dependence on x gives
// dx = inv_std * (dxhat - mean_n(dxhat) - xhat * mean_n(dxhat * xhat)), the means over the batch (column means);
// with fixed (moving) statistics dx = inv_std * dxhat. Ioffe & Szegedy 2015, https://arxiv.org/abs/1502.03167.
#include "batch_normalization.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::nn {

BatchNormalization::BatchNormalization(BatchNormalizationOptions options)
    : NormalizationLayer(scale_offset_spec(options)), options_(std::move(options)) {
  check_feature_axis(options_.axis, "BatchNormalization");
  check(options_.momentum >= 0.0 && options_.momentum <= 1.0,
        "BatchNormalization: invalid momentum. Expected 0 <= momentum <= 1; received momentum=", options_.momentum,
        ".");
  check(std::isfinite(options_.epsilon) && options_.epsilon >= 0.0,
        "BatchNormalization: invalid epsilon. Expected a finite epsilon >= 0; received epsilon=", options_.epsilon,
        ".");
  get_initializer(options_.moving_mean_initializer);  // unknown names fail here, not at build
  get_initializer(options_.moving_variance_initializer);
  name_ = options_.name;
}

// Keras's weight creation order: gamma, beta, moving_mean, moving_variance.
void BatchNormalization::build_weights(const Shape& input_shape, Rng& rng) {
  const Index input_dim = build_affine(input_shape, options_.axis, rng);
  for (auto [p, init] : {std::pair{&moving_mean_, &options_.moving_mean_initializer},
                         std::pair{&moving_variance_, &options_.moving_variance_initializer}}) {
    p->resize({input_dim});
    get_initializer(*init)->fill(p->value, p->shape, rng);
  }
}

const Matrix& BatchNormalization::forward(const Matrix& input, bool training) {
  const Index features = affine_.features();
  check(features > 0, "BatchNormalization '", name_, "': used before build().");
  check_input(input);
  const auto x = rows_of(input);  // statistics per channel over samples and positions
  batch_stats_ = training && trainable_;
  const Scalar eps = static_cast<Scalar>(options_.epsilon);
  xhat_.resize(x.rows(), features);
  if (batch_stats_) {
    check(x.rows() > 0, "BatchNormalization '", name_, "': training needs a batch of at least one sample.");
    mean_.noalias() = x.colwise().mean();
    xhat_ = x.rowwise() - mean_.row(0);
    var_.noalias() = xhat_.cwiseAbs2().colwise().mean();
    const Scalar momentum = static_cast<Scalar>(options_.momentum);
    const Scalar rest = static_cast<Scalar>(1.0 - options_.momentum);
    moving_mean_.value = moving_mean_.value * momentum + mean_ * rest;
    moving_variance_.value = moving_variance_.value * momentum + var_ * rest;
    inv_std_.resize(1, features);
    inv_std_.array() = (var_.array() + eps).rsqrt();
  } else {
    xhat_ = x.rowwise() - moving_mean_.value.row(0);
    inv_std_.resize(1, features);
    inv_std_.array() = (moving_variance_.value.array() + eps).rsqrt();
  }
  xhat_.array().rowwise() *= inv_std_.row(0).array();
  affine_.apply(xhat_, y_);
  to_sample_rows(y_, input.rows());
  return y_;
}

const Matrix& BatchNormalization::backward(const Matrix& dy_samples) {
  const auto dy = rows_of(dy_samples);
  if (!backward_to_xhat(dy)) return none_;
  dx_.resize(dy.rows(), dy.cols());
  if (batch_stats_) {
    sum_dxhat_.noalias() = dxhat_.colwise().mean();
    dx_.array() = dxhat_.array() * xhat_.array();  // staged in dx_ so the column mean needs no temporary
    sum_dxhat_xhat_.noalias() = dx_.colwise().mean();
    dx_.array() = dxhat_.array().rowwise() - sum_dxhat_.row(0).array();
    dx_.array() -= xhat_.array().rowwise() * sum_dxhat_xhat_.row(0).array();
    dx_.array().rowwise() *= inv_std_.row(0).array();
  } else {
    dx_.array() = dxhat_.array().rowwise() * inv_std_.row(0).array();
  }
  to_sample_rows(dx_, dy_samples.rows());
  return dx_;
}

json BatchNormalization::config() const {
  json c = {{"name", name_},
            {"axis", options_.axis},
            {"momentum", options_.momentum},
            {"epsilon", options_.epsilon},
            {"moving_mean_initializer", serialize(*get_initializer(options_.moving_mean_initializer))},
            {"moving_variance_initializer",
             serialize(*get_initializer(options_.moving_variance_initializer))}};
  affine_.add_config(c);
  return c;
}

std::unique_ptr<Layer> BatchNormalization::from_config(ConfigReader& r) {
  BatchNormalizationOptions o;
  o.axis = read_feature_axis(r);
  r.read("momentum", o.momentum);
  r.read("epsilon", o.epsilon);
  set_scale_offset(o, read_scale_offset(r));
  o.moving_mean_initializer = read_initializer(r, "moving_mean_initializer", "zeros");
  o.moving_variance_initializer = read_initializer(r, "moving_variance_initializer", "ones");
  o.name = read_common(r);
  bool renorm = false;
  r.read("renorm", renorm);
  check_at(!renorm, r.path("renorm"), "batch renormalization is not supported. Expected false; received true.");
  r.ignore({"renorm_clipping", "renorm_momentum"});  // meaningful only with renorm
  refuse_if_set(r, "virtual_batch_size", "Ghost batch normalization (virtual_batch_size)");
  // Synchronizing statistics across devices changes nothing on one device; kept so that the config round-trips.
  bool synchronized = false;
  r.read("synchronized", synchronized);
  r.finish();
  auto layer = std::make_unique<BatchNormalization>(o);
  if (synchronized) layer->keep_config("synchronized", "true");
  return layer;
}

}  // namespace descent::nn
