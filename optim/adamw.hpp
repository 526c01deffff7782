// AdamW: Adam with decoupled weight decay on by default (Keras 3 AdamW).
#pragma once

#include "adam.hpp"

namespace descent::optim {

/// Keras AdamW keyword arguments and defaults (weight_decay comes second, as in Keras). Field order is API: only
/// append.
struct AdamWOptions {
  LearningRate learning_rate = 0.001;  ///< a number or a schedule
  double weight_decay = 0.004;         ///< >= 0
  double beta_1 = 0.9;                 ///< in [0, 1)
  double beta_2 = 0.999;               ///< in [0, 1)
  double epsilon = 1e-7;               ///< >= 0
  bool amsgrad = false;
  double clipnorm = 0.0;  ///< the clipping options every optimizer has (CommonOptions); 0 is off
  double clipvalue = 0.0;
  double global_clipnorm = 0.0;

  // weight_decay is written as a number even when 0: a null would read back as the default 0.004.
  DESCENT_FIELDS(weight_decay, beta_1, beta_2, epsilon, amsgrad);
};

/// Keras 3 keras/src/optimizers/adamw.py: each step first decays w <- w - w * weight_decay * lr (Loshchilov &
/// Hutter), then takes Adam's step (see Adam). Slots as Adam.
class AdamW : public Adam {
 public:
  explicit AdamW(AdamWOptions options = {});

  std::string class_name() const override { return "AdamW"; }
  nlohmann::json config() const override;
  const AdamWOptions& options() const { return options_; }

 private:
  AdamWOptions options_;
};

}  // namespace descent::optim
