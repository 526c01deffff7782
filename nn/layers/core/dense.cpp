// Dense forward and backward. Shapes: x (n, in), W (in, units), b (1, units), z = y = (n, units).
#include "dense.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>
#include <descent/core/matmul.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

Dense::Dense(Index units, DenseOptions options)
    : units_(units),
      options_(std::move(options)),
      activation_(get_activation(options_.activation)),
      kernel_bias_(options_) {
  check(units_ > 0, "Dense(units=", units_, "): expected a positive number of units.");
  check(options_.input_dim >= 0, "Dense(units=", units_, "): expected input_dim >= 0; received input_dim=",
        options_.input_dim, ".");
  if (options_.activation.empty()) options_.activation = "linear";
  name_ = options_.name;
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
  if (options_.use_bias) bias_.resize({units_});
  kernel_bias_.initialize(kernel_, bias_or_null(), rng);
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
  if (auto* activity = kernel_bias_.activity_regularizer()) activity_penalty_ = activity->value(output());
  return output();
}

const Matrix& Dense::backward(const Matrix& dy) {
  check(x_ != nullptr && dy.rows() == z_.rows() && dy.cols() == units_, "Dense '", name_,
        "': backward expected dy of ", z_.rows(), " x ", units_, "; received ", dy.rows(), " x ", dy.cols(), ".");
  const Matrix* d = &dy;
  if (auto* activity = kernel_bias_.activity_regularizer()) {
    dy_ = dy;
    activity->add_gradient(output(), dy_);
    d = &dy_;
  }
  if (activation_->is_identity()) return backward_linear(*d);
  // dz overwrites z, which nothing reads after backward: one batch-sized buffer fewer (bench B3: 2 MiB).
  activation_->backward(z_, output(), *d, z_);
  return backward_linear(z_);
}

const Matrix& Dense::backward_from_logits(const Matrix& dlogits) {
  auto* activity = kernel_bias_.activity_regularizer();
  if (!activity) return backward_linear(dlogits);
  // The activity penalty is on the activation's output, so its gradient still flows through the activation.
  dy_.setZero(output().rows(), output().cols());
  activity->add_gradient(output(), dy_);
  activation_->backward(z_, output(), dy_, z_);
  z_ += dlogits;
  return backward_linear(z_);
}

// dW = x^T dz, db = column sums of dz, dx = dz W^T; plus the weight penalties' gradients.
const Matrix& Dense::backward_linear(const Matrix& dz) {
  matmul_transpose_a(*x_, dz, kernel_.grad);
  if (options_.use_bias) bias_.grad.noalias() = dz.colwise().sum();
  kernel_bias_.add_penalty_gradients(kernel_, bias_or_null());
  if (input_gradient_needed_) {
    matmul_transpose_b(dz, kernel_.value, dx_);
  }
  return dx_;
}

std::vector<Param*> Dense::params() {
  if (options_.use_bias) return {&kernel_, &bias_};
  return {&kernel_};
}

double Dense::regularization_loss() const {
  return kernel_bias_.penalty(kernel_, bias_or_null(), trainable_, activity_penalty_);
}

void Dense::apply_constraints() { kernel_bias_.apply_constraints(kernel_, bias_or_null()); }

std::string Dense::final_activation() const { return activation_->is_identity() ? "" : activation_->name(); }

json Dense::config() const {
  json config = {{"name", name_}, {"units", units_}, {"activation", options_.activation}, {"use_bias", options_.use_bias}};
  kernel_bias_.write(config);
  return config;
}

std::unique_ptr<Layer> Dense::from_config(ConfigReader& r) {
  long units = 0;
  r.read("units", units);
  DenseOptions o;
  o.activation = read_activation(r);
  r.read("use_bias", o.use_bias);
  KernelBias::read(r, o);
  r.read("input_dim", o.input_dim);
  o.name = read_common(r);
  refuse_if_set(r, "quantization_config", "quantization");
  refuse_if_set(r, "lora_rank", "LoRA");
  r.ignore({"lora_alpha"});
  r.finish();  // a misspelled "unit" is reported as such, not as a missing "units"
  check_at(units > 0, r.path("units"), "expected a positive integer; received ",
        r.find("units") ? std::to_string(units) : std::string("nothing"), ".");
  return std::make_unique<Dense>(units, o);
}

}  // namespace descent::nn
