// EarlyStopping: ends fit once a monitored quantity stops improving (Keras callbacks/early_stopping.py).
#pragma once

#include "callback.hpp"
#include "monitor.hpp"

#include <optional>
#include <string>
#include <vector>

namespace descent::nn {

/// Keras's keyword arguments and defaults, in Keras's order.
struct EarlyStoppingOptions {
  std::string monitor = "val_loss";
  double min_delta = 0.0;  ///< smaller changes do not count as improvement
  int patience = 0;        ///< epochs without improvement before stopping
  int verbose = 0;         ///< 1: say when stopping and restoring
  std::string mode = "auto";
  /// Training continues past `patience` only while the monitor beats this too (an improvement that does not beat
  /// it still counts as the best epoch).
  std::optional<double> baseline;
  bool restore_best_weights = false;  ///< at the end of fit, go back to the weights of the best epoch
  int start_from_epoch = 0;           ///< epochs to wait before monitoring (warm-up)
};

class EarlyStopping : public Callback {
 public:
  explicit EarlyStopping(EarlyStoppingOptions options = {});

  void on_train_begin(const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(const Logs& logs) override;

  /// The epoch (0-based) in which this callback stopped training; 0 when it did not (Keras's convention).
  int stopped_epoch() const { return stopped_epoch_; }
  /// The best monitored value and the epoch it was logged in.
  double best() const { return best_; }
  int best_epoch() const { return best_epoch_; }
  /// Epochs since the last improvement.
  int wait() const { return wait_; }

 private:
  EarlyStoppingOptions options_;
  Monitor monitor_;
  int wait_ = 0;
  int stopped_epoch_ = 0;
  int best_epoch_ = 0;
  double best_ = 0.0;
  std::vector<Matrix> best_weights_;  // empty until the first monitored epoch
};

}  // namespace descent::nn
