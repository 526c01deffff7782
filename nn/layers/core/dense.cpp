// Dense forward and backward. Shapes: x (n, in), W (in, units), b (1, units), z = y = (n, units).
#include "dense.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>
#include <descent/core/matmul.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

Dense::Dense(Index units, DenseOptions options)
    : units_(units), options_(std::move(options)), activation_(get_activation(options_.activation)) {
  check(units_ > 0, "Dense(units=", units_, "): expected a positive number of units.");
  check(options_.input_dim >= 0, "Dense(units=", units_, "): expected input_dim >= 0; received input_dim=",
        options_.input_dim, ".");
  if (options_.activation.empty()) options_.activation = "linear";
  name_ = options_.name;
  get_initializer(options_.kernel_initializer);  // unknown names fail here, not at build
  get_initializer(options_.bias_initializer);
  if (options_.kernel_regularizer) kernel_regularizer_ = get_regularizer(*options_.kernel_regularizer);
  if (options_.bias_regularizer) bias_regularizer_ = get_regularizer(*options_.bias_regularizer);
  if (options_.activity_regularizer) activity_regularizer_ = get_regularizer(*options_.activity_regularizer);
  if (options_.kernel_constraint) kernel_constraint_ = get_constraint(*options_.kernel_constraint);
  if (options_.bias_constraint) bias_constraint_ = get_constraint(*options_.bias_constraint);
}

Shape Dense::declared_input_shape() const { return options_.input_dim > 0 ? Shape(options_.input_dim) : Shape(); }

Shape Dense::compute_output_shape(const Shape& input_shape) const {
  Shape out = input_shape;
  if (out.empty()) return Shape(units_);
  out[out.rank() - 1] = units_;
  return out;
}

void Dense::build_weights(const Shape& input_shape, Rng& rng) {
  check(input_shape.rank() == 1, "Dense '", name_, "': takes samples of one axis (features) so far; received ",
        "samples of shape ", input_shape, ". Flatten them first.");
  const Index input_dim = input_shape[0];
  kernel_.resize({input_dim, units_});
  get_initializer(options_.kernel_initializer)->fill(kernel_.value, kernel_.shape, rng);
  if (options_.use_bias) {
    bias_.resize({units_});
    get_initializer(options_.bias_initializer)->fill(bias_.value, bias_.shape, rng);
  }
}

const Matrix& Dense::forward(const Matrix& x, bool) {
  check(kernel_.value.size() > 0, "Dense '", name_, "': used before build().");
  check(x.cols() == kernel_.value.rows(), "Dense '", name_, "': expected input with ", kernel_.value.rows(),
        " columns; received x with ", x.cols(), " columns (x is ", x.rows(), " x ", x.cols(), ").");
  x_ = &x;
  matmul(x, kernel_.value, z_);
  const Matrix* bias = options_.use_bias ? &bias_.value : nullptr;
  if (!activation_->is_identity())
    activation_->forward_biased(z_, bias, activation_->in_place() ? z_ : a_);
  else if (bias)
    z_.rowwise() += bias->row(0);
  if (activity_regularizer_) activity_penalty_ = activity_regularizer_->value(output());
  return output();
}

const Matrix& Dense::backward(const Matrix& dy) {
  check(x_ != nullptr && dy.rows() == z_.rows() && dy.cols() == units_, "Dense '", name_,
        "': backward expected dy of ", z_.rows(), " x ", units_, "; received ", dy.rows(), " x ", dy.cols(), ".");
  const Matrix* d = &dy;
  if (activity_regularizer_) {
    dy_ = dy;
    activity_regularizer_->add_gradient(output(), dy_);
    d = &dy_;
  }
  if (activation_->is_identity()) return backward_linear(*d);
  // dz overwrites z, which nothing reads after backward: one batch-sized buffer fewer (bench B3: 2 MiB).
  activation_->backward(z_, output(), *d, z_);
  return backward_linear(z_);
}

const Matrix& Dense::backward_from_logits(const Matrix& dlogits) {
  if (!activity_regularizer_) return backward_linear(dlogits);
  // The activity penalty is on the activation's output, so its gradient still flows through the activation.
  dy_.setZero(output().rows(), output().cols());
  activity_regularizer_->add_gradient(output(), dy_);
  activation_->backward(z_, output(), dy_, z_);
  z_ += dlogits;
  return backward_linear(z_);
}

// dW = x^T dz, db = column sums of dz, dx = dz W^T; plus the weight penalties' gradients.
const Matrix& Dense::backward_linear(const Matrix& dz) {
  matmul_transpose_a(*x_, dz, kernel_.grad);
  if (options_.use_bias) bias_.grad.noalias() = dz.colwise().sum();
  if (kernel_regularizer_) kernel_regularizer_->add_gradient(kernel_.value, kernel_.grad);
  if (bias_regularizer_ && options_.use_bias) bias_regularizer_->add_gradient(bias_.value, bias_.grad);
  if (input_gradient_needed_) {
    matmul_transpose_b(dz, kernel_.value, dx_);
  }
  return dx_;
}

std::vector<Param*> Dense::params() {
  if (options_.use_bias) return {&kernel_, &bias_};
  return {&kernel_};
}

// Keras 3 counts weight penalties of trainable weights only (Layer._get_regularization_losses).
double Dense::regularization_loss() const {
  double penalty = activity_regularizer_ ? activity_penalty_ : 0.0;
  if (!trainable_) return penalty;
  if (kernel_regularizer_) penalty += kernel_regularizer_->value(kernel_.value);
  if (bias_regularizer_ && options_.use_bias) penalty += bias_regularizer_->value(bias_.value);
  return penalty;
}

void Dense::apply_constraints() {
  if (kernel_constraint_) kernel_constraint_->apply(kernel_.value, kernel_.shape);
  if (bias_constraint_ && options_.use_bias) bias_constraint_->apply(bias_.value, bias_.shape);
}

std::string Dense::final_activation() const { return activation_->is_identity() ? "" : activation_->name(); }

json Dense::config() const {
  return {{"name", name_},
          {"units", units_},
          {"activation", options_.activation},
          {"use_bias", options_.use_bias},
          {"kernel_initializer", serialize(*get_initializer(options_.kernel_initializer))},
          {"bias_initializer", serialize(*get_initializer(options_.bias_initializer))},
          {"kernel_regularizer", kernel_regularizer_ ? serialize(*kernel_regularizer_) : json()},
          {"bias_regularizer", bias_regularizer_ ? serialize(*bias_regularizer_) : json()},
          {"activity_regularizer", activity_regularizer_ ? serialize(*activity_regularizer_) : json()},
          {"kernel_constraint", kernel_constraint_ ? serialize(*kernel_constraint_) : json()},
          {"bias_constraint", bias_constraint_ ? serialize(*bias_constraint_) : json()}};
}

std::unique_ptr<Layer> Dense::from_config(ConfigReader& r) {
  long units = 0;
  r.read("units", units);
  DenseOptions o;
  o.activation = read_activation(r);
  r.read("use_bias", o.use_bias);
  o.kernel_initializer = read_initializer(r, "kernel_initializer", "glorot_uniform");
  o.bias_initializer = read_initializer(r, "bias_initializer", "zeros");
  r.read("input_dim", o.input_dim);
  o.name = read_common(r);
  refuse_if_set(r, "quantization_config", "quantization");
  refuse_if_set(r, "lora_rank", "LoRA");
  r.ignore({"lora_alpha"});
  for (auto [key, out] : {std::pair{"kernel_regularizer", &o.kernel_regularizer},
                          std::pair{"bias_regularizer", &o.bias_regularizer},
                          std::pair{"activity_regularizer", &o.activity_regularizer}})
    if (const json* v = r.find(key)) *out = regularizer_from_json(*v, r.path(key));
  for (auto [key, out] : {std::pair{"kernel_constraint", &o.kernel_constraint},
                          std::pair{"bias_constraint", &o.bias_constraint}})
    if (const json* v = r.find(key)) *out = constraint_from_json(*v, r.path(key));
  r.finish();  // a misspelled "unit" is reported as such, not as a missing "units"
  check_at(units > 0, r.path("units"), "expected a positive integer; received ",
        r.find("units") ? std::to_string(units) : std::string("nothing"), ".");
  return std::make_unique<Dense>(units, o);
}

}  // namespace descent::nn
