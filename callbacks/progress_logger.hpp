// ProgressLogger: Keras-style progress output for fit, selected by FitOptions::verbose.
#pragma once

#include "callback.hpp"

#include <chrono>
#include <iosfwd>

namespace descent::nn {

/// verbose 1 on a terminal: "Epoch 3/20" and a live bar with steps, time per step, loss and metrics, redrawn in
/// place at most every 50 ms. verbose 1 elsewhere, or verbose 2: "Epoch 3/20" and one summary line per epoch.
/// The epoch and step counts come from the fit parameters (set_params).
class ProgressLogger : public Callback {
 public:
  /// Prints to descent::output(), as fit's own logger does.
  explicit ProgressLogger(int verbose);
  /// Prints to `out`; `terminal` says whether it is a terminal.
  ProgressLogger(int verbose, std::ostream& out, bool terminal);

  void on_epoch_begin(int epoch) override;
  void on_batch_end(int batch, const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  void print_bar(Index step, const Logs& logs, bool final);

  Index steps() const { return params().steps; }

  bool live_;
  std::ostream& out_;
  std::chrono::steady_clock::time_point epoch_start_, last_draw_;
};

}  // namespace descent::nn
