// Adamax's update rule.
#include "adamax.hpp"

#include <descent/optim/detail/option_checks.hpp>

#include <descent/core/config.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::optim {

Adamax::Adamax(AdamaxOptions options) : OptimizerWith(std::move(options)) {
  detail::check_moment_options("Adamax", options_);
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

template class OptimizerWith<Adamax, AdamaxOptions>;

}  // namespace descent::optim
