// Dense forward and backward. Shapes: x (n, in), W (in, units), b (1, units), z = y = (n, units).
#include "dense.hpp"

#include "config.hpp"
#include "error.hpp"
#include "layer_config.hpp"

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
}

void Dense::build(Index input_dim, Rng& rng) {
  check(input_dim > 0, "Dense '", name_, "': expected a positive input width; received ", input_dim, ".");
  kernel_.value.resize(input_dim, units_);
  kernel_.grad.setZero(input_dim, units_);
  get_initializer(options_.kernel_initializer)->fill(kernel_.value, false, rng);
  if (options_.use_bias) {
    bias_.value.resize(1, units_);
    bias_.grad.setZero(1, units_);
    get_initializer(options_.bias_initializer)->fill(bias_.value, true, rng);
  }
}

const Matrix& Dense::forward(const Matrix& x, bool) {
  check(kernel_.value.size() > 0, "Dense '", name_, "': used before build().");
  check(x.cols() == kernel_.value.rows(), "Dense '", name_, "': expected input with ", kernel_.value.rows(),
        " columns; received x with ", x.cols(), " columns (x is ", x.rows(), " x ", x.cols(), ").");
  x_ = &x;
  z_.resize(x.rows(), units_);
  z_.noalias() = x * kernel_.value;
  if (options_.use_bias) z_.rowwise() += bias_.value.row(0);
  if (activation_->is_identity()) return z_;
  activation_->forward(z_, a_);
  return a_;
}

const Matrix& Dense::backward(const Matrix& dy) {
  check(x_ != nullptr && dy.rows() == z_.rows() && dy.cols() == units_, "Dense '", name_,
        "': backward expected dy of ", z_.rows(), " x ", units_, "; received ", dy.rows(), " x ", dy.cols(), ".");
  if (activation_->is_identity()) return backward_from_logits(dy);
  activation_->backward(z_, a_, dy, dz_);
  return backward_from_logits(dz_);
}

// dW = x^T dz, db = column sums of dz, dx = dz W^T.
const Matrix& Dense::backward_from_logits(const Matrix& dz) {
  kernel_.grad.noalias() = x_->transpose() * dz;
  if (options_.use_bias) bias_.grad.noalias() = dz.colwise().sum();
  if (input_gradient_needed_) {
    dx_.resize(dz.rows(), kernel_.value.rows());
    dx_.noalias() = dz * kernel_.value.transpose();
  }
  return dx_;
}

std::vector<Param*> Dense::params() {
  if (options_.use_bias) return {&kernel_, &bias_};
  return {&kernel_};
}

std::string Dense::final_activation() const { return activation_->is_identity() ? "" : activation_->name(); }

json Dense::config() const {
  return {{"name", name_},
          {"units", units_},
          {"activation", options_.activation},
          {"use_bias", options_.use_bias},
          {"kernel_initializer", initializer_to_json(*get_initializer(options_.kernel_initializer))},
          {"bias_initializer", initializer_to_json(*get_initializer(options_.bias_initializer))}};
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
  // Regularizers and constraints are kept as written (absent or null: none) until Descent applies them.
  std::map<std::string, std::string> kept;
  for (const char* key :
       {"kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"})
    if (const nlohmann::json* v = r.find(key)) {
      check(v->is_object(), r.path(key), ": expected an object {\"class_name\", \"config\"} or null; received ",
            describe(*v), ".");
      split_class_and_config(*v, r.path(key));
      kept[key] = v->dump();
    }
  r.finish();  // a misspelled "unit" is reported as such, not as a missing "units"
  check(units > 0, r.path("units"), ": expected a positive integer; received ",
        r.find("units") ? std::to_string(units) : std::string("nothing"), ".");
  auto layer = std::make_unique<Dense>(units, o);
  for (auto& [key, text] : kept) layer->keep_config(key, text);
  return layer;
}

}  // namespace descent::nn
