// Keras 3's progress format: "15/15 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - accuracy: 0.9502 - loss: 0.1923".
#include "progress_logger.hpp"

#include <descent/core/output.hpp>

#include <iomanip>
#include <ostream>
#include <sstream>

namespace descent::nn {

ProgressLogger::ProgressLogger(int verbose) : ProgressLogger(verbose, output(), output_is_terminal()) {}

ProgressLogger::ProgressLogger(int verbose, std::ostream& out, bool terminal)
    : live_(verbose == 1 && terminal), out_(out) {}

void ProgressLogger::on_epoch_begin(int epoch) {
  out_ << "Epoch " << epoch + 1 << "/" << params().epochs << "\n" << std::flush;
  epoch_start_ = last_draw_ = std::chrono::steady_clock::now();
}

void ProgressLogger::on_batch_end(int batch, const Logs& logs) {
  if (!live_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(50) && batch + 1 < steps()) return;
  last_draw_ = now;
  print_bar(batch + 1, logs, false);
}

void ProgressLogger::on_epoch_end(int, Logs& logs) { print_bar(steps(), logs, true); }

void ProgressLogger::print_bar(Index step, const Logs& logs, bool final) {
  using namespace std::chrono;
  double seconds = duration<double>(steady_clock::now() - epoch_start_).count();
  double per_step = seconds / static_cast<double>(std::max<Index>(step, 1));
  std::ostringstream line;
  line << step << "/" << steps() << " ";
  if (live_) {
    const int width = 20;
    int filled = static_cast<int>(width * step / std::max<Index>(steps(), 1));
    for (int i = 0; i < width; ++i) line << (i < filled ? "━" : "─");
    line << " ";
  } else {
    line << "- ";
  }
  line << static_cast<long>(final ? seconds : per_step * static_cast<double>(steps() - step)) << "s ";
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
