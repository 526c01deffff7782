// Identity forward and backward: both pass their argument through.
#include "identity.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

Identity::Identity(IdentityOptions options) { name_ = std::move(options.name); }

const Matrix& Identity::forward(const Matrix& x, bool) {
  check_input(x);
  rows_ = x.rows();
  return x;
}

const Matrix& Identity::backward(const Matrix& dy) {
  check(dy.rows() == rows_ && dy.cols() == input_dim(), "Identity '", name_, "': backward expected dy of ", rows_,
        " x ", input_dim(), "; received ", dy.rows(), " x ", dy.cols(), ".");
  return input_gradient_needed_ ? dy : none_;
}

json Identity::config() const { return {{"name", name_}}; }

std::unique_ptr<Layer> Identity::from_config(ConfigReader& r) {
  std::string name = read_common(r);
  r.finish();
  return std::make_unique<Identity>(IdentityOptions{.name = name});
}

}  // namespace descent::nn
