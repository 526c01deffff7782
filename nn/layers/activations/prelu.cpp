// PReLU: alpha's shape and broadcast, forward, backward. Shapes: x, y, dy, dx (n, values per sample); alpha holds
// the sample's shape with the shared axes set to 1, row-major, so alpha_of_ maps a sample's value to its alpha.
#include "prelu.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace descent::nn {

PReLU::PReLU(PReLUOptions options) : options_(std::move(options)) {
  for (int axis : options_.shared_axes)
    check(axis >= 1, "PReLU: invalid shared_axes. Expected axes >= 1 (axis 0 is the batch); received shared_axes ",
          "containing ", axis, ".");
  get_initializer(options_.alpha_initializer);  // unknown names fail here, not at build
  if (options_.alpha_regularizer) regularizer_ = get_regularizer(*options_.alpha_regularizer);
  if (options_.alpha_constraint) constraint_ = get_constraint(*options_.alpha_constraint);
  name_ = options_.name;
}

void PReLU::build_weights(const Shape& input_shape, Rng& rng) {
  std::vector<Index> dims = input_shape.dims();
  for (int axis : options_.shared_axes)
    if (static_cast<std::size_t>(axis) > dims.size())
      fail(str(where(), ": shared_axes names axis ", axis, ", but samples of shape ", input_shape, " have axes 1 to ",
               dims.size(), "."));
    else
      dims[static_cast<std::size_t>(axis) - 1] = 1;
  const Shape alpha_shape(dims);
  // Value k of a sample has coordinates (i_1, ..., i_r); its alpha has the same ones with each shared axis at 0.
  alpha_of_.assign(static_cast<std::size_t>(input_shape.size()), 0);
  for (Index k = 0; k < input_shape.size(); ++k) {
    Index rest = k, index = 0, stride = 1;
    for (std::size_t a = dims.size(); a-- > 0;) {
      const Index coordinate = rest % input_shape[a];
      rest /= input_shape[a];
      if (dims[a] != 1) index += coordinate * stride;
      stride *= dims[a];
    }
    alpha_of_[static_cast<std::size_t>(k)] = index;
  }
  alpha_.resize(alpha_shape);
  get_initializer(options_.alpha_initializer)->fill(alpha_.value, alpha_.shape, rng);
}

const Matrix& PReLU::forward(const Matrix& x, bool) {
  if (alpha_of_.empty()) fail(str(where(), ": used before build()."));
  start_forward(x);
  const Scalar* alpha = alpha_.value.data();
  for (Index i = 0; i < x.rows(); ++i)
    for (Index k = 0; k < x.cols(); ++k) {
      const Scalar v = x(i, k);
      y_(i, k) = v >= Scalar(0) ? v : alpha[alpha_of_[static_cast<std::size_t>(k)]] * v;
    }
  return y_;
}

const Matrix& PReLU::backward(const Matrix& dy) {
  const bool input_gradient = start_backward(dy);
  alpha_.grad.setZero();
  Scalar* dalpha = alpha_.grad.data();
  const Scalar* alpha = alpha_.value.data();
  for (Index i = 0; i < dy.rows(); ++i)
    for (Index k = 0; k < dy.cols(); ++k) {
      const Scalar v = (*x_)(i, k), g = dy(i, k);
      const std::size_t a = static_cast<std::size_t>(alpha_of_[static_cast<std::size_t>(k)]);
      if (v < Scalar(0)) dalpha[a] += g * v;
      if (input_gradient) dx_(i, k) = v > Scalar(0) ? g : v < Scalar(0) ? alpha[a] * g : Scalar(0);
    }
  if (regularizer_) regularizer_->add_gradient(alpha_.value, alpha_.grad);
  return input_gradient ? dx_ : none_;
}

// Keras 3 counts weight penalties of trainable weights only (Layer._get_regularization_losses).
double PReLU::regularization_loss() const { return regularizer_ && trainable_ ? regularizer_->value(alpha_.value) : 0.0; }

void PReLU::apply_constraints() {
  if (constraint_) constraint_->apply(alpha_.value, alpha_.shape);
}

json PReLU::config() const {
  return {{"name", name_},
          {"alpha_initializer", serialize(*get_initializer(options_.alpha_initializer))},
          {"alpha_regularizer", regularizer_ ? serialize(*regularizer_) : json()},
          {"alpha_constraint", constraint_ ? serialize(*constraint_) : json()},
          {"shared_axes", options_.shared_axes.empty() ? json() : json(options_.shared_axes)}};
}

std::unique_ptr<Layer> PReLU::from_config(ConfigReader& r) {
  PReLUOptions o;
  o.alpha_initializer = read_initializer(r, "alpha_initializer", "zeros");
  if (const json* v = r.find("alpha_regularizer")) o.alpha_regularizer = regularizer_from_json(*v, r.path("alpha_regularizer"));
  if (const json* v = r.find("alpha_constraint")) o.alpha_constraint = constraint_from_json(*v, r.path("alpha_constraint"));
  // An int is one axis, as Keras reads it; null no sharing.
  if (const json* v = r.find("shared_axes")) {
    const json axes = v->is_array() ? *v : json::array({*v});
    for (const json& axis : axes) {
      check_at(axis.is_number_integer() && axis.get<long long>() >= 1 && axis.get<long long>() <= 64,
               r.path("shared_axes"), "expected axes >= 1 (axis 0 is the batch); received ", v->dump(), ".");
      o.shared_axes.push_back(static_cast<int>(axis.get<long long>()));
    }
  }
  o.name = read_common(r);
  r.finish();
  return std::make_unique<PReLU>(o);
}

}  // namespace descent::nn
