// Adam's update rule (Keras 3 form: epsilon outside the root of the uncorrected second moment).
#include "adam.hpp"

#include <descent/optim/detail/option_checks.hpp>

#include <descent/core/detail/parallel.hpp>

#include <descent/core/config.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::optim {

Adam::Adam(AdamOptions options) : Adam(std::move(options), "Adam") {}

Adam::Adam(AdamOptions options, const char* name) : OptimizerWith(std::move(options), name) {
  detail::check_moment_options(name, options_);
}

void Adam::begin_step() {
  const double t = static_cast<double>(iterations());
  alpha_ = current_learning_rate() * std::sqrt(1 - std::pow(options_.beta_2, t)) /
           (1 - std::pow(options_.beta_1, t));
}

// Row block by row block, so that the three statements run over data in cache: one sweep over the weights and
// slots instead of three.
template <class T>
void Adam::apply(BasicParam<T>& param, std::size_t index) {
  MatrixT<T>& m_all = slot(param, index, 0);
  MatrixT<T>& v_all = slot(param, index, 1);
  MatrixT<T>* v_hat_all = options_.amsgrad ? &slot(param, index, 2) : nullptr;
  const T alpha = static_cast<T>(alpha_);
  const T eps = static_cast<T>(options_.epsilon);
  descent::detail::for_row_blocks(param.value.rows(), param.value.cols(), [&](Index first, Index count) {
    auto m = m_all.middleRows(first, count).array();
    auto v = v_all.middleRows(first, count).array();
    const auto g = param.grad.middleRows(first, count).array();
    m += (g - m) * static_cast<T>(1 - options_.beta_1);
    v += (g.square() - v) * static_cast<T>(1 - options_.beta_2);
    auto w = param.value.middleRows(first, count).array();
    if (v_hat_all) {
      auto v_hat = v_hat_all->middleRows(first, count).array();
      v_hat = v_hat.max(v);
      w -= alpha * m / (v_hat.sqrt() + eps);
    } else {
      w -= alpha * m / (v.sqrt() + eps);
    }
  }, descent::detail::kUpdateGrain);
}

std::vector<std::string> Adam::slot_names() const {
  if (options_.amsgrad) return {"m", "v", "vhat"};
  return {"m", "v"};
}

template class OptimizerWith<Adam, AdamOptions>;

}  // namespace descent::optim
