// Adadelta's update rule.
#include "adadelta.hpp"

#include <descent/optim/detail/option_checks.hpp>

#include <descent/core/config.hpp>

#include <nlohmann/json.hpp>

namespace descent::optim {

Adadelta::Adadelta(AdadeltaOptions options) : OptimizerWith(std::move(options)) {
  detail::check_option("Adadelta", "rho", options_.rho, options_.rho >= 0 && options_.rho <= 1, "0 <= rho <= 1");
  detail::check_option("Adadelta", "epsilon", options_.epsilon, options_.epsilon > 0,
                       "epsilon > 0 (with 0 the first update is 0 and so is every later one)");
}

template <class T>
void Adadelta::apply(BasicParam<T>& param, std::size_t index) {
  auto acc_g = slot(param, index, 0).array();
  auto acc_dx = slot(param, index, 1).array();
  const auto g = param.grad.array();
  const T rho = static_cast<T>(options_.rho);
  const T eps = static_cast<T>(options_.epsilon);
  acc_g = rho * acc_g + (1 - rho) * g.square();
  // delta is used twice; rather than a buffer, the expression is evaluated twice, both times with the old acc_dx:
  // first for the weights, then element by element into acc_dx itself.
  const auto delta = -(acc_dx + eps).sqrt() * g / (acc_g + eps).sqrt();
  param.value.array() += static_cast<T>(current_learning_rate()) * delta;
  acc_dx = rho * acc_dx + (1 - rho) * delta.square();
}

template class OptimizerWith<Adadelta, AdadeltaOptions>;

}  // namespace descent::optim
