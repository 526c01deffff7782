// CSVLogger: one row per epoch of the logs to a CSV file, in Keras's format (Keras callbacks/csv_logger.py).
#pragma once

#include "callback.hpp"

#include <fstream>
#include <string>
#include <vector>

namespace descent::nn {

struct CSVLoggerOptions {
  std::string separator = ",";
  bool append = false;  ///< add to an existing file (resumed training) instead of replacing it
};

/// Writes "epoch" (0-based) and the log keys in sorted order, values as Python's repr, lines ending "\r\n" (Python's
/// csv module); when the model validates but the first epoch did not, the "val_" columns are added and filled "NA"
/// until they appear. Each row is flushed as it is written, so the file follows training live.
class CSVLogger : public Callback {
 public:
  explicit CSVLogger(std::string filename, CSVLoggerOptions options = {});

  void on_train_begin(const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(const Logs& logs) override;

 private:
  void write_row(const std::vector<std::string>& cells);

  std::string filename_;
  CSVLoggerOptions options_;
  std::ofstream file_;
  bool write_header_ = true;
  std::vector<std::string> keys_;  // fixed at the first epoch
};

}  // namespace descent::nn
