// MomentOptions: the options of the optimizers that keep a first and a second moment, as Keras's Adamax and Nadam.
#pragma once

#include "optimizer.hpp"

#include <descent/core/config.hpp>

namespace descent::optim {

/// The keyword arguments and defaults Keras's Adamax and Nadam share (Adam adds amsgrad). Field order is API: only
/// append.
struct MomentOptions {
  LearningRate learning_rate = 0.001;  ///< a number or a schedule
  double beta_1 = 0.9;                 ///< in [0, 1)
  double beta_2 = 0.999;               ///< in [0, 1)
  double epsilon = 1e-7;               ///< >= 0
  DESCENT_COMMON_OPTIMIZER_OPTIONS;  ///< weight_decay, clipnorm, clipvalue, global_clipnorm: 0 is off

  DESCENT_FIELDS(beta_1, beta_2, epsilon);
};

}  // namespace descent::optim
