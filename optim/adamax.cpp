// Adamax's update rule.
#include "adamax.hpp"

#include <descent/optim/detail/option_checks.hpp>

#include <descent/core/config.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::optim {

Adamax::Adamax(AdamaxOptions options)
    : Optimizer(options.learning_rate, common_options_of(options), "Adamax"), options_(std::move(options)) {
  detail::check_option("Adamax", "beta_1", options_.beta_1, options_.beta_1 >= 0 && options_.beta_1 < 1,
                       "0 <= beta_1 < 1");
  detail::check_option("Adamax", "beta_2", options_.beta_2, options_.beta_2 >= 0 && options_.beta_2 < 1,
                       "0 <= beta_2 < 1");
  detail::check_option("Adamax", "epsilon", options_.epsilon, options_.epsilon >= 0, "epsilon >= 0");
}

void Adamax::begin_step() {
  rate_ = current_learning_rate() / (1 - std::pow(options_.beta_1, static_cast<double>(iterations())));
}

template <class T>
void Adamax::apply(BasicParam<T>& param, std::size_t index) {
  auto m = slot(param, index, 0).array();
  auto u = slot(param, index, 1).array();
  const auto g = param.grad.array();
  m += (g - m) * static_cast<T>(1 - options_.beta_1);
  u = (static_cast<T>(options_.beta_2) * u).max(g.abs());
  param.value.array() -= static_cast<T>(rate_) * m / (u + static_cast<T>(options_.epsilon));
}

nlohmann::json Adamax::config() const { return with_fields(base_config("adamax"), options_); }

}  // namespace descent::optim
