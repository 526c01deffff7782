// Nadam's update rule, with the momentum-schedule product kept once per step.
#include "nadam.hpp"

#include <descent/optim/detail/option_checks.hpp>

#include <descent/core/config.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::optim {

Nadam::Nadam(NadamOptions options) : OptimizerWith(std::move(options)) {
  detail::check_moment_options("Nadam", options_);
}

void Nadam::begin_step() {
  const std::int64_t t = iterations();
  auto u = [this](double s) { return options_.beta_1 * (1 - 0.5 * std::pow(0.96, s)); };
  if (u_product_step_ != t - 1) {
    // After reset() or set_iterations(): rebuild P_{t-1} from the step count.
    u_product_ = 1.0;
    for (std::int64_t s = 1; s < t; ++s) u_product_ *= u(static_cast<double>(s));
  }
  const double u_t = u(static_cast<double>(t));
  const double u_next = u(static_cast<double>(t + 1));
  u_product_ *= u_t;
  u_product_step_ = t;
  m_coefficient_ = u_next / (1 - u_product_ * u_next);
  g_coefficient_ = (1 - u_t) / (1 - u_product_);
  v_coefficient_ = 1 / (1 - std::pow(options_.beta_2, static_cast<double>(t)));
}

template <class T>
void Nadam::apply(BasicParam<T>& param, std::size_t index) {
  auto m = slot(param, index, 0).array();
  auto v = slot(param, index, 1).array();
  const auto g = param.grad.array();
  m += (g - m) * static_cast<T>(1 - options_.beta_1);
  v += (g.square() - v) * static_cast<T>(1 - options_.beta_2);
  const T lr = static_cast<T>(current_learning_rate());
  const T cm = static_cast<T>(m_coefficient_);
  const T cg = static_cast<T>(g_coefficient_);
  const T cv = static_cast<T>(v_coefficient_);
  param.value.array() -= lr * (cm * m + cg * g) / ((cv * v).sqrt() + static_cast<T>(options_.epsilon));
}

template class OptimizerWith<Nadam, NadamOptions>;

}  // namespace descent::optim
