// RMSprop's update rule.
#include "rmsprop.hpp"

#include <descent/optim/detail/option_checks.hpp>

#include <descent/core/config.hpp>

#include <nlohmann/json.hpp>

namespace descent::optim {

RMSprop::RMSprop(RMSpropOptions options) : OptimizerWith(std::move(options)) {
  detail::check_option("RMSprop", "rho", options_.rho, options_.rho >= 0 && options_.rho <= 1, "0 <= rho <= 1");
  detail::check_option("RMSprop", "momentum", options_.momentum, options_.momentum >= 0 && options_.momentum <= 1,
                       "0 <= momentum <= 1");
  detail::check_option("RMSprop", "epsilon", options_.epsilon, options_.epsilon > 0,
                       "epsilon > 0 (it keeps the root away from zero)");
}

template <class T>
void RMSprop::apply(BasicParam<T>& param, std::size_t index) {
  const T rho = static_cast<T>(options_.rho);
  const T lr = static_cast<T>(current_learning_rate());
  const T eps = static_cast<T>(options_.epsilon);
  const T momentum = static_cast<T>(options_.momentum);
  const auto g = param.grad.array();
  auto rms = slot(param, index, 0).array();
  auto mom = slot(param, index, 1).array();
  rms = rho * rms + (1 - rho) * g.square();
  // With momentum 0 this is w -= increment, Keras's rule, and the slot holds the last increment, as in TF.js.
  if (options_.centered) {
    auto mg = slot(param, index, 2).array();
    mg = rho * mg + (1 - rho) * g;
    mom = momentum * mom + lr * g / (rms - mg.square() + eps).sqrt();
  } else {
    mom = momentum * mom + lr * g / (rms + eps).sqrt();
  }
  param.value.array() -= mom;
}

std::vector<std::string> RMSprop::slot_names() const {
  if (options_.centered) return {"rms", "momentum", "mg"};
  return {"rms", "momentum"};
}

template class OptimizerWith<RMSprop, RMSpropOptions>;

}  // namespace descent::optim
