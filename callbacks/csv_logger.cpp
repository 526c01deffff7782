// CSVLogger: Python's csv.excel dialect with a chosen delimiter: fields holding the delimiter, a quote or a line
// break are quoted, quotes doubled.
#include "csv_logger.hpp"

#include <descent/core/error.hpp>
#include <descent/callbacks/detail/python_format.hpp>
#include <descent/models/model.hpp>

#include <descent/metrics/metric.hpp>

#include <algorithm>
#include <cstring>

namespace descent::nn {

CSVLogger::CSVLogger(std::string filename, CSVLoggerOptions options)
    : filename_(std::move(filename)), options_(std::move(options)) {
  check(!filename_.empty(), "CSVLogger: expected a file name; received an empty one.");
  check(options_.separator.size() == 1 && options_.separator != "\"" && options_.separator != "\n" &&
            options_.separator != "\r",
        "CSVLogger: expected a one-character separator other than a quote or a line break; received separator=\"",
        options_.separator, "\".");
}

void CSVLogger::on_train_begin(const Logs&) {
  write_header_ = true;
  if (options_.append) {
    std::ifstream existing(filename_);
    std::string first_line;
    write_header_ = !(existing && std::getline(existing, first_line) && !first_line.empty());
  }
  if (file_.is_open()) file_.close();
  errno = 0;  // std::ofstream sets errno only where its open() call fails
  file_.open(filename_, options_.append ? std::ios::app | std::ios::binary : std::ios::trunc | std::ios::binary);
  const int error = errno;
  check(file_.is_open(), "CSVLogger: cannot open \"", filename_, "\" for writing: ", errno_text(error), ".");
  keys_.clear();
}

void CSVLogger::on_epoch_end(int epoch, Logs& logs) {
  if (keys_.empty()) {
    for (const auto& [key, _] : logs) keys_.push_back(key);  // a std::map: already sorted
    // With validation_freq > 1 the first epoch has no "val_" entries; their columns are made now.
    if (params().validating && !logs.contains("val_loss")) {
      keys_.push_back("val_loss");
      for (const auto& m : model().metrics()) keys_.push_back("val_" + m->name());
    }
  }
  std::vector<std::string> cells;
  if (write_header_) {
    cells.push_back("epoch");
    cells.insert(cells.end(), keys_.begin(), keys_.end());
    write_row(cells);
    write_header_ = false;
    cells.clear();
  }
  cells.push_back(std::to_string(epoch));
  for (const std::string& key : keys_) {
    auto it = logs.find(key);
    cells.push_back(it == logs.end() ? "NA" : python_repr(it->second));
  }
  write_row(cells);
}

void CSVLogger::on_train_end(const Logs&) {
  if (file_.is_open()) file_.close();
}

void CSVLogger::write_row(const std::vector<std::string>& cells) {
  const char separator = options_.separator[0];
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += separator;
    const std::string& cell = cells[i];
    if (cell.find_first_of(std::string{separator, '"', '\r', '\n'}) == std::string::npos) {
      line += cell;
      continue;
    }
    line += '"';
    for (char c : cell) line += c == '"' ? std::string("\"\"") : std::string(1, c);
    line += '"';
  }
  errno = 0;
  file_ << line << "\r\n" << std::flush;
  const int error = errno;
  check(file_.good(), "CSVLogger: writing \"", filename_, "\" failed: ", errno_text(error), ".");
}

}  // namespace descent::nn
