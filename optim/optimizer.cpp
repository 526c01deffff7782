// The optimizer's step: validate, fix the rate, clip, decay weights, count once, update each parameter.
#include "optimizer.hpp"

#include <descent/optim/detail/option_checks.hpp>

#include <descent/core/config.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace descent::optim {

Optimizer::Optimizer(LearningRate learning_rate, CommonOptions common, const char* name)
    : learning_rate_(std::move(learning_rate)), common_(common) {
  const std::string where = name;
  if (!learning_rate_.is_schedule()) {
    const double lr = learning_rate_.at(0);
    detail::check_option(where, "learning_rate", lr, lr > 0, "a finite learning_rate > 0, or a schedule");
  }
  detail::check_option(where, "weight_decay", common_.weight_decay, common_.weight_decay >= 0,
                       "weight_decay >= 0 (0: off)");
  detail::check_option(where, "clipnorm", common_.clipnorm, common_.clipnorm >= 0, "clipnorm >= 0 (0: off)");
  detail::check_option(where, "clipvalue", common_.clipvalue, common_.clipvalue >= 0, "clipvalue >= 0 (0: off)");
  detail::check_option(where, "global_clipnorm", common_.global_clipnorm, common_.global_clipnorm >= 0,
                       "global_clipnorm >= 0 (0: off)");
  const int clips = (common_.clipnorm > 0) + (common_.clipvalue > 0) + (common_.global_clipnorm > 0);
  check(clips <= 1, where, ": only one of clipnorm, clipvalue and global_clipnorm can be set. Expected at most one ",
        "> 0; received clipnorm=", common_.clipnorm, ", clipvalue=", common_.clipvalue,
        ", global_clipnorm=", common_.global_clipnorm, ".");
}

void Optimizer::set_learning_rate(double learning_rate) {
  if (learning_rate_.is_schedule())
    fail(str(class_name(), ": the learning rate follows the schedule ", learning_rate_.schedule()->class_name(),
             " and cannot be set. Expected an optimizer created with a number as learning_rate; received ",
             "set_learning_rate(", learning_rate, ")."));
  detail::check_option(class_name(), "learning_rate", learning_rate, learning_rate > 0, "a finite learning_rate > 0");
  learning_rate_ = LearningRate(learning_rate);
}

// Keras base_optimizer.py: clip_by_norm per gradient, clip_by_global_norm over all, or clip by value.
template <class T>
void Optimizer::clip_gradients(std::span<BasicParam<T>* const> params) const {
  if (common_.clipnorm > 0) {
    for (BasicParam<T>* p : params) {
      const double norm = std::sqrt(static_cast<double>(p->grad.squaredNorm()));
      if (norm > common_.clipnorm) p->grad *= static_cast<T>(common_.clipnorm / norm);
    }
  } else if (common_.global_clipnorm > 0) {
    double squared = 0.0;
    for (const BasicParam<T>* p : params) squared += static_cast<double>(p->grad.squaredNorm());
    const double norm = std::sqrt(squared);
    // A non-finite norm makes every gradient NaN, as Keras's `scale + (norm - norm)` does.
    if (!std::isfinite(norm)) {
      for (BasicParam<T>* p : params) p->grad.setConstant(std::numeric_limits<T>::quiet_NaN());
    } else if (norm > common_.global_clipnorm) {
      const T scale = static_cast<T>(common_.global_clipnorm / norm);
      for (BasicParam<T>* p : params) p->grad *= scale;
    }
  } else if (common_.clipvalue > 0) {
    const T v = static_cast<T>(common_.clipvalue);
    for (BasicParam<T>* p : params) p->grad.array() = p->grad.array().max(-v).min(v);
  }
}

template <class T>
void Optimizer::step_impl(std::span<BasicParam<T>* const> params) {
  if (param_count_ == 0) param_count_ = params.size();
  if (params.size() != param_count_)
    fail(str(class_name(), ": step expected the ", param_count_, " parameters it was first used with; received ",
             params.size(), ". Use a fresh optimizer for another model."));
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto& p = *params[i];
    if (p.grad.rows() != p.value.rows() || p.grad.cols() != p.value.cols())
      fail(str(class_name(), ": parameter ", i, " '", p.name, "' has value ", p.value.rows(), " x ", p.value.cols(),
               " but gradient ", p.grad.rows(), " x ", p.grad.cols(), "."));
  }
  // Keras evaluates a schedule at `iterations` before the increment: step 0 for the first update.
  const double lr = learning_rate_.at(iterations_);
  if (!(std::isfinite(lr) && lr >= 0))
    fail(str(class_name(), ": the learning rate schedule gave ", lr, " at step ", iterations_,
             ". Expected a finite rate >= 0."));
  step_learning_rate_ = lr;
  clip_gradients(params);
  if (common_.weight_decay > 0) {
    const T decay = static_cast<T>(common_.weight_decay * lr);
    for (BasicParam<T>* p : params) p->value -= decay * p->value;
  }
  ++iterations_;
  begin_step();
  for (std::size_t i = 0; i < params.size(); ++i) update(*params[i], i);
}

void Optimizer::step(std::span<ParamF* const> params) { step_impl<float>(params); }
void Optimizer::step(std::span<ParamD* const> params) { step_impl<double>(params); }

void Optimizer::update(ParamF&, std::size_t) {
  fail(str(class_name(), ": update() is not implemented for float parameters."));
}
void Optimizer::update(ParamD&, std::size_t) {
  fail(str(class_name(), ": update() is not implemented for double parameters; override update(ParamD&, index) to ",
           "use it with double precision."));
}

Matrix& Optimizer::slot(std::size_t index, std::size_t k) {
  auto& slots = slots_of<Scalar>();
  if (slots.size() <= index) slots.resize(index + 1);
  if (slots[index].size() <= k) slots[index].resize(std::max(k + 1, slot_names().size()));
  return slots[index][k];
}

std::size_t Optimizer::slotted_params() const {
  if constexpr (std::is_same_v<Scalar, float>) return slots_f_.size();
  else return slots_d_.size();
}

json Optimizer::base_config(const std::string& name) const {
  auto optional = [](double v) { return v > 0 ? json(v) : json(nullptr); };
  return {{"name", name},
          {"learning_rate", learning_rate_.to_json()},
          {"weight_decay", optional(common_.weight_decay)},
          {"clipnorm", optional(common_.clipnorm)},
          {"global_clipnorm", optional(common_.global_clipnorm)},
          {"clipvalue", optional(common_.clipvalue)}};
}

void Optimizer::reset() {
  iterations_ = 0;
  param_count_ = 0;
  slots_f_.clear();
  slots_d_.clear();
}

}  // namespace descent::optim
