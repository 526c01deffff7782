// Adamax: Adam with the infinity norm in place of the second moment (Keras 3 Adamax).
#pragma once

#include "optimizer_with.hpp"

namespace descent::optim {

/// Keras Adamax keyword arguments and defaults. Field order is API: only append.
struct AdamaxOptions {
  LearningRate learning_rate = 0.001;  ///< a number or a schedule
  double beta_1 = 0.9;                 ///< in [0, 1)
  double beta_2 = 0.999;               ///< in [0, 1)
  double epsilon = 1e-7;               ///< >= 0
  DESCENT_COMMON_OPTIMIZER_OPTIONS;  ///< weight_decay, clipnorm, clipvalue, global_clipnorm: 0 is off

  /// Its own Keras config keys (read_fields, with_fields).
  template <class Self, class Visit>
  static void fields(Self& o, Visit&& visit) {
    visit("beta_1", o.beta_1);
    visit("beta_2", o.beta_2);
    visit("epsilon", o.epsilon);
  }
};

/// Keras 3 keras/src/optimizers/adamax.py, at step t (1-based) with g the gradient:
///   m <- m + (g - m)(1 - beta_1);  u <- max(beta_2 u, |g|)
///   w <- w - lr m / ((1 - beta_1^t)(u + epsilon))
/// Slots "m" and "v" (u), as TF.js names them.
class Adamax : public OptimizerWith<Adamax, AdamaxOptions> {
 public:
  static constexpr const char* kClassName = "Adamax";
  static constexpr const char* kName = "adamax";

  explicit Adamax(AdamaxOptions options = {});

  std::vector<std::string> slot_names() const override { return {"m", "v"}; }

 protected:
  void begin_step() override;

 private:
  friend OptimizerWith;
  template <class T>
  void apply(BasicParam<T>& param, std::size_t index);

  double rate_ = 0.0;  // this step's lr / (1 - beta_1^t)
};

extern template class OptimizerWith<Adamax, AdamaxOptions>;

}  // namespace descent::optim
