// TerminateOnNaN: stops fit at the first batch whose loss is NaN or infinite (Keras callbacks/terminate_on_nan.py).
#pragma once

#include "callback.hpp"

#include <string>

namespace descent::nn {

/// Prints, as Keras does, "Batch 7: Invalid loss, terminating training", and adds the first layer whose output
/// went non-finite in that batch, which is where to look.
class TerminateOnNaN : public Callback {
 public:
  void on_train_begin(const Logs& logs) override;
  void on_batch_end(int batch, const Logs& logs) override;

  /// What was printed, or empty when training was not terminated.
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

}  // namespace descent::nn
