// Adadelta: step sizes from running averages of squared gradients and squared updates (Keras 3 Adadelta).
#pragma once

#include "optimizer_with.hpp"

namespace descent::optim {

/// Keras Adadelta keyword arguments and defaults (Zeiler's paper corresponds to learning_rate 1.0). Field order is
/// API: only append.
struct AdadeltaOptions {
  LearningRate learning_rate = 0.001;  ///< a number or a schedule
  double rho = 0.95;                   ///< in [0, 1]
  double epsilon = 1e-7;               ///< > 0
  DESCENT_COMMON_OPTIMIZER_OPTIONS;  ///< weight_decay, clipnorm, clipvalue, global_clipnorm: 0 is off

  DESCENT_FIELDS(rho, epsilon);
};

/// Keras 3 keras/src/optimizers/adadelta.py, with g the gradient and rms(x) = sqrt(x + epsilon):
///   acc_g <- rho acc_g + (1 - rho) g^2
///   delta = -rms(acc_dx) g / rms(acc_g)
///   acc_dx <- rho acc_dx + (1 - rho) delta^2
///   w <- w + lr delta
/// Slots "accum_grad" (acc_g) and "accum_var" (acc_dx), as TF.js names them.
class Adadelta : public OptimizerWith<Adadelta, AdadeltaOptions> {
 public:
  static constexpr const char* kClassName = "Adadelta";
  static constexpr const char* kName = "adadelta";

  explicit Adadelta(AdadeltaOptions options = {});

  std::vector<std::string> slot_names() const override { return {"accum_grad", "accum_var"}; }

 private:
  friend OptimizerWith;
  template <class T>
  void apply(BasicParam<T>& param, std::size_t index);
};

extern template class OptimizerWith<Adadelta, AdadeltaOptions>;  // instantiated in adadelta.cpp, beside apply()

}  // namespace descent::optim
