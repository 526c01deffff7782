// Adamax: Adam with the infinity norm in place of the second moment (Keras 3 Adamax).
#pragma once

#include "moment_options.hpp"
#include "optimizer_with.hpp"

namespace descent::optim {

/// Keras Adamax keyword arguments and defaults.
using AdamaxOptions = MomentOptions;

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

extern template class OptimizerWith<Adamax, AdamaxOptions>;  // instantiated in adamax.cpp, beside apply()

}  // namespace descent::optim
