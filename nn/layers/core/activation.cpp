// Activation layer: y = f(x), dx = f'(x) * dy.
#include "activation.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>

namespace descent::nn {

Activation::Activation(std::string activation, ActivationOptions options) : function_(get_activation(activation)) {
  name_ = options.name;
}

const Matrix& Activation::forward(const Matrix& x, bool) {
  check_input(x);
  x_ = &x;
  function_->forward(x, a_);
  return a_;
}

const Matrix& Activation::backward(const Matrix& dy) {
  check(x_ != nullptr && dy.rows() == a_.rows() && dy.cols() == a_.cols(), "Activation '", name_,
        "': backward expected dy of ", a_.rows(), " x ", a_.cols(), "; received ", dy.rows(), " x ", dy.cols(), ".");
  function_->backward(*x_, a_, dy, dx_);
  return dx_;
}

std::string Activation::final_activation() const { return function_->is_identity() ? "" : function_->name(); }

json Activation::config() const { return {{"name", name_}, {"activation", function_->name()}}; }

std::unique_ptr<Layer> Activation::from_config(ConfigReader& r) {
  const bool given = r.find("activation") != nullptr;
  std::string activation = read_activation(r);
  std::string name = read_common(r);
  r.finish();
  check_at(given, r.path("activation"), "missing. Expected an activation name.");
  return std::make_unique<Activation>(activation, ActivationOptions{.name = name});
}

}  // namespace descent::nn
