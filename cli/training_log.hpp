// The training history as a CSV log, and training curves drawn from it by gnuplot.
#pragma once

#include <descent/callbacks/callback.hpp>

#include <iosfwd>
#include <string>

namespace descent::cli {

/// "epoch,loss,<metrics...>,val_loss,val_<metrics...>", one row per epoch, epochs counted from 1.
std::string history_csv(const nn::History& history);

/// Checks the --plot file name before training: .png or .svg, and writable (check_output_path).
void check_plot_name(const std::string& image);

/// Draws one panel per quantity (loss, then each metric), training and validation curves over the epochs, from the
/// CSV log at `csv` into `image` (.png or .svg). Returns "" on success, otherwise why no picture was drawn
/// ("gnuplot is not installed ..."); the caller warns and carries on, since the log itself is written.
std::string plot_history(const nn::History& history, const std::string& csv, const std::string& image);

/// fit's and the demo's ending: writes the history to `log` when named, and draws `plot` when named, from the log
/// or, when no --log was given, from a temporary one removed afterwards (only --log leaves a log behind). Reports
/// on `out`; a picture that cannot be drawn is a warning on stderr.
void write_log_and_plot(const nn::History& history, const std::string& log, const std::string& plot,
                        std::ostream& out);

}  // namespace descent::cli
