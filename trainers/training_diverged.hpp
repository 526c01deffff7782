// TrainingDiverged: the error fit throws when the loss or a weight stops being a finite number.
#pragma once

#include <descent/callbacks/callback.hpp>
#include <descent/core/error.hpp>

#include <string>
#include <utility>

namespace descent::nn {

/// Thrown by fit at the first batch whose loss is NaN or infinite, or at the end of an epoch that left a weight
/// non-finite: the weights are then of no use, and Keras's habit of training on in NaN hides the failure. The
/// message names the epoch and batch (1-based, as the progress bar counts them) and the first layer whose output
/// went non-finite. The callbacks' on_train_end hooks have run. A callback that stops training on that batch itself
/// (TerminateOnNaN) takes the failure over, and fit returns as Keras's does.
class TrainingDiverged : public Error {
 public:
  TrainingDiverged(const std::string& message, History history, int epoch, long long batch)
      : Error(message), history_(std::move(history)), epoch_(epoch), batch_(batch) {}

  /// The epochs completed before the failing one.
  const History& history() const { return history_; }
  /// 0-based epoch and batch of the failure, as callbacks number them.
  int epoch() const { return epoch_; }
  long long batch() const { return batch_; }

 private:
  History history_;
  int epoch_;
  long long batch_;
};

}  // namespace descent::nn
