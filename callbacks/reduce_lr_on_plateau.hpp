// ReduceLROnPlateau: multiplies the learning rate by `factor` when a monitored quantity stops improving (Keras
// callbacks/reduce_lr_on_plateau.py).
#pragma once

#include "callback.hpp"
#include "monitor.hpp"

#include <string>

namespace descent::nn {

/// Keras's keyword arguments and defaults, in Keras's order.
struct ReduceLROnPlateauOptions {
  std::string monitor = "val_loss";
  double factor = 0.1;  ///< new rate = rate * factor, 0 < factor < 1
  int patience = 10;    ///< epochs without improvement before reducing
  int verbose = 0;      ///< 1: say when reducing
  std::string mode = "auto";
  double min_delta = 1e-4;  ///< smaller changes do not count as improvement
  int cooldown = 0;         ///< epochs after a reduction during which no plateau is counted
  double min_lr = 0.0;      ///< the rate is never reduced below this
};

/// Logs the optimizer's rate as "learning_rate" at each epoch end (so History has it). Needs an optimizer with a
/// constant rate: a schedule cannot be overridden (an Error at the first reduction, as in Keras).
class ReduceLROnPlateau : public Callback {
 public:
  explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {});

  void on_train_begin(const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  ReduceLROnPlateauOptions options_;
  Monitor monitor_;
  double best_ = 0.0;
  int wait_ = 0;
  int cooldown_counter_ = 0;
};

}  // namespace descent::nn
