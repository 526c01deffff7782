// Adagrad: per-weight rates from the running sum of squared gradients (Keras 3 Adagrad).
#pragma once

#include "optimizer.hpp"

namespace descent::optim {

/// Keras Adagrad keyword arguments and defaults (Keras's lr 0.001; TF.js's string form uses 0.01). Field order is
/// API: only append.
struct AdagradOptions {
  LearningRate learning_rate = 0.001;       ///< a number or a schedule
  double initial_accumulator_value = 0.1;  ///< >= 0
  double epsilon = 1e-7;                   ///< >= 0
  DESCENT_COMMON_OPTIMIZER_OPTIONS;  ///< weight_decay, clipnorm, clipvalue, global_clipnorm: 0 is off

  /// Its own Keras config keys (read_fields, with_fields).
  template <class Self, class Visit>
  static void fields(Self& o, Visit&& visit) {
    visit("initial_accumulator_value", o.initial_accumulator_value);
    visit("epsilon", o.epsilon);
  }
};

/// Keras 3 keras/src/optimizers/adagrad.py, with g the gradient:
///   acc <- acc + g^2   (acc starts at initial_accumulator_value)
///   w <- w - lr g / sqrt(acc + epsilon)      (epsilon inside the root, as Keras 3 and TF.js)
/// Slot "accumulator".
class Adagrad : public Optimizer {
 public:
  explicit Adagrad(AdagradOptions options = {});

  std::string class_name() const override { return "Adagrad"; }
  nlohmann::json config() const override;
  std::vector<std::string> slot_names() const override { return {"accumulator"}; }
  const AdagradOptions& options() const { return options_; }

 protected:
  void update(ParamF& param, std::size_t index) override { apply(param, index); }
  void update(ParamD& param, std::size_t index) override { apply(param, index); }

 private:
  template <class T>
  void apply(BasicParam<T>& param, std::size_t index);

  AdagradOptions options_;
};

}  // namespace descent::optim
