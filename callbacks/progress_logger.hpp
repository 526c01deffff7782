// ProgressLogger: Keras-style progress output for fit, selected by FitOptions::verbose.
#pragma once

#include "callback.hpp"

#include <chrono>
#include <iosfwd>

namespace descent::nn {

/// verbose 1 on a terminal: "Epoch 3/20" and a live bar with steps, time per step, loss and metrics, redrawn in
/// place at most every 50 ms. verbose 1 elsewhere, or verbose 2: "Epoch 3/20" and one summary line per epoch.
/// Writes to `out`; `terminal` says whether it is a terminal (fit passes is_terminal(std::cout)).
class ProgressLogger : public Callback {
 public:
  ProgressLogger(int verbose, int epochs, Index steps_per_epoch, std::ostream& out, bool terminal);

  void on_epoch_begin(int epoch) override;
  void on_batch_end(int batch, const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  void print_bar(Index step, const Logs& logs, bool final);

  bool live_;
  int epochs_;
  Index steps_;
  std::ostream& out_;
  std::chrono::steady_clock::time_point epoch_start_, last_draw_;
};

/// True when `out` is std::cout or std::cerr and that stream is a terminal.
bool is_terminal(const std::ostream& out);

}  // namespace descent::nn
