// Adam: Keras 3's adaptive-moment optimizer, with the AMSGrad variant.
#pragma once

#include "optimizer_with.hpp"

namespace descent::optim {

/// Keras Adam keyword arguments and defaults. Field order is API: only append.
struct AdamOptions {
  LearningRate learning_rate = 0.001;  ///< a number or a schedule
  double beta_1 = 0.9;                 ///< in [0, 1)
  double beta_2 = 0.999;               ///< in [0, 1)
  double epsilon = 1e-7;               ///< >= 0
  bool amsgrad = false;
  DESCENT_COMMON_OPTIMIZER_OPTIONS;  ///< weight_decay, clipnorm, clipvalue, global_clipnorm: 0 is off

  DESCENT_FIELDS(beta_1, beta_2, epsilon, amsgrad);
};

/// Keras 3 keras/src/optimizers/adam.py, at step t (1-based) with g the gradient:
///   alpha = lr sqrt(1 - beta_2^t) / (1 - beta_1^t)
///   m <- m + (g - m)(1 - beta_1);  v <- v + (g^2 - v)(1 - beta_2)
///   amsgrad: vhat <- max(vhat, v), used in place of v
///   w <- w - alpha m / (sqrt(v) + epsilon)
/// epsilon is added to the root of the uncorrected v (TF.js adds it to the corrected root). Slots "m", "v" (TF.js
/// names), and "vhat" with amsgrad.
class Adam : public OptimizerWith<Adam, AdamOptions> {
 public:
  static constexpr const char* kClassName = "Adam";
  static constexpr const char* kName = "adam";

  explicit Adam(AdamOptions options = {});

  std::vector<std::string> slot_names() const override;

 protected:
  /// `name` is the class name for messages (AdamW builds on Adam).
  Adam(AdamOptions options, const char* name);

  void begin_step() override;

 private:
  friend OptimizerWith;
  template <class T>
  void apply(BasicParam<T>& param, std::size_t index);

  double alpha_ = 0.0;  // this step's bias-corrected rate
};

extern template class OptimizerWith<Adam, AdamOptions>;  // instantiated in adam.cpp, beside apply()

}  // namespace descent::optim
