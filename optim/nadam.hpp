// Nadam: Adam with Nesterov momentum (Keras 3 Nadam, Dozat 2015).
#pragma once

#include "moment_options.hpp"
#include "optimizer_with.hpp"

namespace descent::optim {

/// Keras Nadam keyword arguments and defaults.
using NadamOptions = MomentOptions;

/// Keras 3 keras/src/optimizers/nadam.py, at step t (1-based) with g the gradient:
///   u_s = beta_1 (1 - 0.5 * 0.96^s);  P_t = u_1 u_2 ... u_t
///   m <- m + (g - m)(1 - beta_1);  v <- v + (g^2 - v)(1 - beta_2)
///   m_hat = u_{t+1} m / (1 - P_t u_{t+1}) + (1 - u_t) g / (1 - P_t);  v_hat = v / (1 - beta_2^t)
///   w <- w - lr m_hat / (sqrt(v_hat) + epsilon)
/// P_t follows from the step count, so restoring iterations restores it. Slots "m", "v".
class Nadam : public OptimizerWith<Nadam, NadamOptions> {
 public:
  static constexpr const char* kClassName = "Nadam";
  static constexpr const char* kName = "nadam";

  explicit Nadam(NadamOptions options = {});

  std::vector<std::string> slot_names() const override { return {"m", "v"}; }

 protected:
  void begin_step() override;

 private:
  friend OptimizerWith;
  template <class T>
  void apply(BasicParam<T>& param, std::size_t index);

  double u_product_ = 1.0;          // P_t
  std::int64_t u_product_step_ = 0;  // the t that u_product_ belongs to
  double m_coefficient_ = 0.0;      // this step's u_{t+1} / (1 - P_t u_{t+1})
  double g_coefficient_ = 0.0;      // this step's (1 - u_t) / (1 - P_t)
  double v_coefficient_ = 0.0;      // this step's 1 / (1 - beta_2^t)
};

extern template class OptimizerWith<Nadam, NadamOptions>;  // instantiated in nadam.cpp, beside apply()

}  // namespace descent::optim
