// Adagrad's update rule.
#include "adagrad.hpp"

#include <descent/optim/detail/option_checks.hpp>

#include <descent/core/config.hpp>

#include <nlohmann/json.hpp>

namespace descent::optim {

Adagrad::Adagrad(AdagradOptions options) : OptimizerWith(std::move(options)) {
  detail::check_option("Adagrad", "initial_accumulator_value", options_.initial_accumulator_value,
                       options_.initial_accumulator_value >= 0, "initial_accumulator_value >= 0");
  detail::check_option("Adagrad", "epsilon", options_.epsilon, options_.epsilon >= 0, "epsilon >= 0");
  check(options_.initial_accumulator_value + options_.epsilon > 0, "Adagrad: initial_accumulator_value and epsilon ",
        "are both 0, so the first zero gradient divides 0 by 0. Expected initial_accumulator_value + epsilon > 0; ",
        "received initial_accumulator_value=0, epsilon=0.");
}

template <class T>
void Adagrad::apply(BasicParam<T>& param, std::size_t index) {
  auto acc = slot(param, index, 0, static_cast<T>(options_.initial_accumulator_value)).array();
  const auto g = param.grad.array();
  acc += g.square();
  param.value.array() -=
      static_cast<T>(current_learning_rate()) * g / (acc + static_cast<T>(options_.epsilon)).sqrt();
}

template class OptimizerWith<Adagrad, AdagradOptions>;

}  // namespace descent::optim
