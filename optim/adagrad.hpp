// Adagrad: per-weight rates from the running sum of squared gradients (Keras 3 Adagrad).
#pragma once

#include "optimizer_with.hpp"

namespace descent::optim {

/// Keras Adagrad keyword arguments and defaults (Keras's lr 0.001; TF.js's string form uses 0.01). Field order is
/// API: only append.
struct AdagradOptions {
  LearningRate learning_rate = 0.001;       ///< a number or a schedule
  double initial_accumulator_value = 0.1;  ///< >= 0
  double epsilon = 1e-7;                   ///< >= 0
  DESCENT_COMMON_OPTIMIZER_OPTIONS;  ///< weight_decay, clipnorm, clipvalue, global_clipnorm: 0 is off

  DESCENT_FIELDS(initial_accumulator_value, epsilon);
};

/// Keras 3 keras/src/optimizers/adagrad.py, with g the gradient:
///   acc <- acc + g^2   (acc starts at initial_accumulator_value)
///   w <- w - lr g / sqrt(acc + epsilon)      (epsilon inside the root, as Keras 3 and TF.js)
/// Slot "accumulator".
class Adagrad : public OptimizerWith<Adagrad, AdagradOptions> {
 public:
  static constexpr const char* kClassName = "Adagrad";
  static constexpr const char* kName = "adagrad";

  explicit Adagrad(AdagradOptions options = {});

  std::vector<std::string> slot_names() const override { return {"accumulator"}; }

 private:
  friend OptimizerWith;
  template <class T>
  void apply(BasicParam<T>& param, std::size_t index);
};

extern template class OptimizerWith<Adagrad, AdagradOptions>;  // instantiated in adagrad.cpp, beside apply()

}  // namespace descent::optim
