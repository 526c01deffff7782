// The optimizer's step: validate, count once, update each parameter.
#include "optimizer.hpp"

#include "../nn/error.hpp"

#include <cmath>

namespace descent::optim {

Optimizer::Optimizer(double learning_rate) : learning_rate_(learning_rate) { set_learning_rate(learning_rate); }

void Optimizer::set_learning_rate(double learning_rate) {
  check(std::isfinite(learning_rate) && learning_rate > 0, "Optimizer: expected a finite learning_rate > 0; received ",
        "learning_rate=", learning_rate, ".");
  learning_rate_ = learning_rate;
}

template <class T>
void Optimizer::step_impl(std::span<BasicParam<T>* const> params) {
  if (param_count_ == 0) param_count_ = params.size();
  check(params.size() == param_count_, class_name(), ": step expected the ", param_count_,
        " parameters it was first used with; received ", params.size(), ". Use a fresh optimizer for another model.");
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto& p = *params[i];
    check(p.grad.rows() == p.value.rows() && p.grad.cols() == p.value.cols(), class_name(), ": parameter ", i, " '",
          p.name, "' has value ", p.value.rows(), " x ", p.value.cols(), " but gradient ", p.grad.rows(), " x ",
          p.grad.cols(), ".");
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
  if (slots[index].size() <= k) slots[index].resize(k + 1);
  return slots[index][k];
}

std::size_t Optimizer::slotted_params() const {
  if constexpr (std::is_same_v<Scalar, float>) return slots_f_.size();
  else return slots_d_.size();
}

void Optimizer::reset() {
  iterations_ = 0;
  param_count_ = 0;
  slots_f_.clear();
  slots_d_.clear();
}

}  // namespace descent::optim
