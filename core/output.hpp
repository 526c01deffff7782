// The one output sink: where the progress bar and the callbacks print (Keras's io_utils.print_msg).
#pragma once

#include <iosfwd>

namespace descent {

/// The stream fit's progress bar and the callbacks' messages go to: std::cout unless set_output chose another.
std::ostream& output();
/// Sends that output to `stream` (which must outlive its use), or silences it with nullptr; returns the previous
/// setting so that a caller can restore it.
std::ostream* set_output(std::ostream* stream);
/// Whether output() is a terminal, which decides between a live progress bar and one line per epoch.
bool output_is_terminal();
/// True when `out` is std::cout or std::cerr and that stream is a terminal.
bool is_terminal(const std::ostream& out);

}  // namespace descent
