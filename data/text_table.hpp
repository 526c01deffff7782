// A CSV file as text cells: for files whose label column holds words, and for matching columns by name.
#pragma once

#include <descent/core/tensor.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace descent::data {

/// The header and the data rows of a CSV file, each cell trimmed but not parsed, with every row's line number so
/// later errors can point into the file.
struct TextTable {
  std::string path;
  char delimiter = ',';
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  ///< every row has columns.size() cells
  std::vector<std::size_t> lines;              ///< 1-based line where each row's record starts; empty if not read

  Index size() const { return static_cast<Index>(rows.size()); }
  /// Where a row comes from, for messages: "<path>:<line>", or "<path>: row <row>" (0-based) for a table built in
  /// memory, without lines (labels read from an IDX file).
  std::string place(Index row) const;
  /// The index of a column given by header name or, when no column has that name, by 0-based position (-1 is the
  /// last column). Unknown: an Error listing the columns; `what` names the role in it ("label column").
  Index column(const std::string& name_or_index, const std::string& what = "column") const;
  /// The index of the column named `name`, or -1.
  Index find(const std::string& name) const;
  /// The given columns parsed as numbers, one matrix column each. An empty or non-numeric cell, or one beyond
  /// Scalar's range, is an Error naming the file, line and column.
  Matrix numbers(const std::vector<Index>& columns) const;
  /// The cells of one column.
  std::vector<std::string> text(Index column) const;
  /// A table with the rows at `order`, in that order (train/test splits, shuffles).
  TextTable select(const std::vector<Index>& order) const;
};

/// Reads a CSV file with a header row: delimiter ',', ';' or tab (detected from the header when '\0'), double-quoted
/// fields as RFC 4180 ("a,b", "" for a quote, line breaks inside quotes kept; LF or CRLF line ends), blank lines
/// skipped, a UTF-8 byte order mark ignored. A row's line is the line where its record starts. A missing or
/// unreadable file, an empty file, a header without data rows, two columns of one name, a row with the wrong number
/// of fields, a quote still open at the end of the file, and a NUL byte or invalid UTF-8 anywhere are Errors naming
/// the file (and line).
TextTable read_text_table(const std::string& path, char delimiter = '\0');

/// Writes the table back as CSV with its delimiter, quoting cells that need it (the delimiter, a quote, a line
/// break), so read_text_table reads the same cells back.
std::string to_csv(const TextTable& table);

/// Parses one cell as a number within Scalar's range; false for anything else ("", "n/a", "1e39" in float).
bool parse_number(const std::string& cell, double& value);

}  // namespace descent::data
