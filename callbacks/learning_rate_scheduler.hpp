// LearningRateScheduler: sets the learning rate at each epoch's start from a function of the epoch (Keras
// callbacks/learning_rate_scheduler.py).
#pragma once

#include "callback.hpp"

#include <functional>

namespace descent::nn {

struct LearningRateSchedulerOptions {
  int verbose = 0;  ///< 1: print each rate set
};

/// schedule(epoch, current rate) -> new rate, epochs 0-based. Logs "learning_rate" at each epoch end. Needs an
/// optimizer with a constant rate (a schedule object cannot be overridden).
class LearningRateScheduler : public Callback {
 public:
  using Schedule = std::function<double(int epoch, double learning_rate)>;
  explicit LearningRateScheduler(Schedule schedule, LearningRateSchedulerOptions options = {});

  void on_epoch_begin(int epoch) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  Schedule schedule_;
  LearningRateSchedulerOptions options_;
};

}  // namespace descent::nn
