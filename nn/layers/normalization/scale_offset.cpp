// ScaleOffset: gamma and beta with their initializers, regularizers and constraints. Shapes: xhat, dy (n, features).
#include "scale_offset.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

ScaleOffset::ScaleOffset(const ScaleOffsetSpec& spec)
    : scale_(spec.scale),
      center_(spec.center),
      gamma_initializer_(get_initializer(spec.gamma_initializer)),  // unknown names fail here, not at build
      beta_initializer_(get_initializer(spec.beta_initializer)) {
  if (spec.gamma_regularizer) gamma_regularizer_ = get_regularizer(*spec.gamma_regularizer);
  if (spec.beta_regularizer) beta_regularizer_ = get_regularizer(*spec.beta_regularizer);
  if (spec.gamma_constraint) gamma_constraint_ = get_constraint(*spec.gamma_constraint);
  if (spec.beta_constraint) beta_constraint_ = get_constraint(*spec.beta_constraint);
}

void ScaleOffset::build(Index features, Rng& rng) {
  features_ = features;
  for (auto [on, p, init] : {std::tuple{scale_, &gamma_, gamma_initializer_.get()},
                             std::tuple{center_, &beta_, beta_initializer_.get()}}) {
    if (!on) continue;
    p->resize({features});
    init->fill(p->value, p->shape, rng);
  }
}

void ScaleOffset::apply(const Matrix& xhat, Matrix& y) const {
  y.resize(xhat.rows(), xhat.cols());
  if (scale_)
    y.array() = xhat.array().rowwise() * gamma_.value.row(0).array();
  else
    y = xhat;
  if (center_) y.rowwise() += beta_.value.row(0);
}

void ScaleOffset::backward(const Matrix& xhat, const Eigen::Ref<const Matrix>& dy, Matrix& dxhat) {
  if (center_) {
    beta_.grad.noalias() = dy.colwise().sum();
    if (beta_regularizer_) beta_regularizer_->add_gradient(beta_.value, beta_.grad);
  }
  dxhat.resize(dy.rows(), dy.cols());
  if (scale_) {
    // The product goes through dxhat first so that the column sum needs no temporary.
    dxhat.array() = dy.array() * xhat.array();
    gamma_.grad.noalias() = dxhat.colwise().sum();
    if (gamma_regularizer_) gamma_regularizer_->add_gradient(gamma_.value, gamma_.grad);
    dxhat.array() = dy.array().rowwise() * gamma_.value.row(0).array();
  } else {
    dxhat = dy;
  }
}

std::vector<Param*> ScaleOffset::params() {
  std::vector<Param*> out;
  if (scale_) out.push_back(&gamma_);
  if (center_) out.push_back(&beta_);
  return out;
}

double ScaleOffset::penalty() const {
  double total = 0.0;
  if (gamma_regularizer_ && scale_) total += gamma_regularizer_->value(gamma_.value);
  if (beta_regularizer_ && center_) total += beta_regularizer_->value(beta_.value);
  return total;
}

void ScaleOffset::apply_constraints() {
  if (gamma_constraint_ && scale_) gamma_constraint_->apply(gamma_.value, gamma_.shape);
  if (beta_constraint_ && center_) beta_constraint_->apply(beta_.value, beta_.shape);
}

void ScaleOffset::add_config(json& config) const {
  config["center"] = center_;
  config["scale"] = scale_;
  config["beta_initializer"] = serialize(*beta_initializer_);
  config["gamma_initializer"] = serialize(*gamma_initializer_);
  config["beta_regularizer"] = beta_regularizer_ ? serialize(*beta_regularizer_) : json();
  config["gamma_regularizer"] = gamma_regularizer_ ? serialize(*gamma_regularizer_) : json();
  config["beta_constraint"] = beta_constraint_ ? serialize(*beta_constraint_) : json();
  config["gamma_constraint"] = gamma_constraint_ ? serialize(*gamma_constraint_) : json();
}

ScaleOffsetSpec read_scale_offset(ConfigReader& r) {
  ScaleOffsetSpec s;
  r.read("center", s.center);
  r.read("scale", s.scale);
  s.beta_initializer = read_initializer(r, "beta_initializer", "zeros");
  s.gamma_initializer = read_initializer(r, "gamma_initializer", "ones");
  for (auto [key, out] : {std::pair{"beta_regularizer", &s.beta_regularizer},
                          std::pair{"gamma_regularizer", &s.gamma_regularizer}})
    if (const json* v = r.find(key)) *out = regularizer_from_json(*v, r.path(key));
  for (auto [key, out] : {std::pair{"beta_constraint", &s.beta_constraint},
                          std::pair{"gamma_constraint", &s.gamma_constraint}})
    if (const json* v = r.find(key)) *out = constraint_from_json(*v, r.path(key));
  return s;
}

int read_feature_axis(ConfigReader& r) {
  const json* v = r.find("axis");
  if (!v) return -1;
  const json* axis = v->is_array() && v->size() == 1 ? &(*v)[0] : v;
  check_at(axis->is_number_integer() && (axis->get<long long>() == -1 ||
                                          (axis->get<long long>() >= 1 && axis->get<long long>() <= 8)),
           r.path("axis"), "only the last axis (the features or channels) is supported. Expected -1 or the last ",
           "axis of the batched input, alone or in a list; received ", describe(*v), ".");
  return static_cast<int>(axis->get<long long>());
}

void check_feature_axis(int axis, const char* layer) {
  check(axis == -1 || axis >= 1, layer, ": only the last axis (the features or channels) is supported. ",
        "Expected axis=-1 (or the last axis of the batched input); received axis=", axis, ".");
}

}  // namespace descent::nn
