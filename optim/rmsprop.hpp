// RMSprop: Keras 3's root-mean-square propagation, with optional momentum and centering.
#pragma once

#include "optimizer_with.hpp"

namespace descent::optim {

/// Keras RMSprop keyword arguments and defaults. Field order is API: only append.
struct RMSpropOptions {
  LearningRate learning_rate = 0.001;  ///< a number or a schedule
  double rho = 0.9;                    ///< in [0, 1]; TF.js calls it `decay`
  double momentum = 0.0;               ///< in [0, 1]
  double epsilon = 1e-7;               ///< > 0
  bool centered = false;
  DESCENT_COMMON_OPTIMIZER_OPTIONS;  ///< weight_decay, clipnorm, clipvalue, global_clipnorm: 0 is off

  DESCENT_FIELDS(rho, momentum, epsilon, centered);
};

/// Keras 3 keras/src/optimizers/rmsprop.py, with g the gradient:
///   rms <- rho rms + (1 - rho) g^2
///   centered: mg <- rho mg + (1 - rho) g;  d = rms - mg^2 + epsilon;  otherwise d = rms + epsilon
///   increment = lr g / sqrt(d)      (epsilon inside the root, as Keras 3 and TF.js)
///   momentum > 0: mom <- momentum mom + increment;  w <- w - mom;  otherwise w <- w - increment
/// Slots "rms", "momentum", and "mg" when centered: TF.js's names and order. Like TF.js, and unlike Keras, the
/// momentum slot exists even when momentum is 0 (it then holds the last increment), so saved state matches TF.js.
class RMSprop : public OptimizerWith<RMSprop, RMSpropOptions> {
 public:
  static constexpr const char* kClassName = "RMSprop";
  static constexpr const char* kName = "rmsprop";

  explicit RMSprop(RMSpropOptions options = {});

  std::vector<std::string> slot_names() const override;

 private:
  friend OptimizerWith;
  template <class T>
  void apply(BasicParam<T>& param, std::size_t index);
};

extern template class OptimizerWith<RMSprop, RMSpropOptions>;  // instantiated in rmsprop.cpp, beside apply()

}  // namespace descent::optim
