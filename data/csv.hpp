// Reading numeric CSV files into features and targets.
#pragma once

#include <descent/core/tensor.hpp>

#include <string>
#include <vector>

namespace descent::data {

/// Field order is API: only append.
struct CsvOptions {
  std::string label;      ///< label column by header name; empty: use label_index
  int label_index = -1;   ///< label column by 0-based index; -1 (and no name): the last column
  char delimiter = '\0';  ///< ',', ';' or '\t'; '\0' detects it from the header row
};

/// A CSV file with its header: every column parsed as a number.
struct Table {
  std::vector<std::string> columns;
  Matrix values;  ///< one row per data line
};

/// Reads a CSV file with a header row; fields may be quoted ("a,b"). Every cell must be a number: an empty cell, a
/// non-numeric cell, a header column without a name or a row with the wrong number of fields is an Error naming the
/// file, line and column (read_text_table's file rules, then every column as numbers).
Table read_table(const std::string& path, char delimiter = '\0');

/// Features (every column but the label) and targets (the label column, samples x 1), as DESIGN's
/// `auto [x, y] = data::read_csv("breast_cancer.csv", {.label = "malignant"})`.
Dataset read_csv(const std::string& path, CsvOptions options = {});

/// Splits one CSV record into fields, honouring double quotes ("" inside quotes is one quote; a quoted field may hold
/// line breaks).
std::vector<std::string> split_csv_line(const std::string& line, char delimiter);

}  // namespace descent::data
