// Keras 3's progress format: "15/15 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - accuracy: 0.9502 - loss: 0.1923".
#include "progress_logger.hpp"

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <unistd.h>

namespace descent::nn {

bool is_terminal(const std::ostream& out) {
  if (&out == &std::cout) return isatty(fileno(stdout)) != 0;
  if (&out == &std::cerr) return isatty(fileno(stderr)) != 0;
  return false;
}

ProgressLogger::ProgressLogger(int verbose, int epochs, Index steps_per_epoch, std::ostream& out, bool terminal)
    : live_(verbose == 1 && terminal), epochs_(epochs), steps_(steps_per_epoch), out_(out) {}

void ProgressLogger::on_epoch_begin(int epoch) {
  out_ << "Epoch " << epoch + 1 << "/" << epochs_ << "\n" << std::flush;
  epoch_start_ = last_draw_ = std::chrono::steady_clock::now();
}

void ProgressLogger::on_batch_end(int batch, const Logs& logs) {
  if (!live_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(50) && batch + 1 < steps_) return;
  last_draw_ = now;
  print_bar(batch + 1, logs, false);
}

void ProgressLogger::on_epoch_end(int, Logs& logs) { print_bar(steps_, logs, true); }

void ProgressLogger::print_bar(Index step, const Logs& logs, bool final) {
  using namespace std::chrono;
  double seconds = duration<double>(steady_clock::now() - epoch_start_).count();
  double per_step = seconds / static_cast<double>(std::max<Index>(step, 1));
  std::ostringstream line;
  line << step << "/" << steps_ << " ";
  if (live_) {
    const int width = 20;
    int filled = static_cast<int>(width * step / std::max<Index>(steps_, 1));
    for (int i = 0; i < width; ++i) line << (i < filled ? "━" : "─");
    line << " ";
  } else {
    line << "- ";
  }
  line << static_cast<long>(final ? seconds : per_step * static_cast<double>(steps_ - step)) << "s ";
  if (per_step >= 1e-3)
    line << static_cast<long>(per_step * 1e3 + 0.5) << "ms/step";
  else
    line << static_cast<long>(per_step * 1e6 + 0.5) << "us/step";
  for (const auto& [key, value] : logs) line << " - " << key << ": " << std::fixed << std::setprecision(4) << value;
  if (live_) out_ << "\r\33[2K";
  out_ << line.str();
  if (final || !live_) out_ << "\n";
  out_ << std::flush;
}

}  // namespace descent::nn
