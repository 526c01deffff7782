// A small strict CSV reader: header row, numeric cells, errors with line and column.
#include "csv.hpp"

#include <descent/core/error.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <type_traits>

namespace descent::data {

std::vector<std::string> split_csv_line(const std::string& line, char delimiter) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == delimiter) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

namespace {

std::string trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  auto end = s.find_last_not_of(" \t\r");
  return s.substr(begin, end - begin + 1);
}

char detect_delimiter(const std::string& header) {
  std::size_t best_count = 0;
  char best = ',';
  for (char candidate : {',', ';', '\t'}) {
    std::size_t count = split_csv_line(header, candidate).size();
    if (count > best_count) {
      best_count = count;
      best = candidate;
    }
  }
  return best;
}

}  // namespace

Table read_table(const std::string& path, char delimiter) {
  std::ifstream in(path);
  check(in.good(), path, ": cannot open the file for reading.");
  std::string line;
  std::size_t line_number = 0;
  // The header is the first non-empty line.
  while (std::getline(in, line)) {
    ++line_number;
    if (!trim(line).empty()) break;
  }
  check(!trim(line).empty(), path, ": the file is empty; expected a header row and data rows.");
  if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // UTF-8 byte order mark
  if (delimiter == '\0') delimiter = detect_delimiter(line);
  Table table;
  for (auto& name : split_csv_line(line, delimiter)) table.columns.push_back(trim(name));
  const std::size_t width = table.columns.size();

  std::vector<Scalar> values;
  Index rows = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (trim(line).empty()) continue;
    auto fields = split_csv_line(line, delimiter);
    check(fields.size() == width, path, ":", line_number, ": expected ", width, " fields as in the header; received ",
          fields.size(), ".");
    for (std::size_t c = 0; c < width; ++c) {
      std::string cell = trim(fields[c]);
      check(!cell.empty(), path, ":", line_number, ": column ", c + 1, " (\"", table.columns[c],
            "\") is empty; expected a number.");
      double value = 0.0;
      const char* begin = cell.data();
      const char* end = begin + cell.size();
      if (*begin == '+') ++begin;
      auto [ptr, ec] = std::from_chars(begin, end, value);
      // Finite as a Scalar: 1e39 parses as a double but is beyond float's range.
      const bool fits = std::isfinite(value) && std::abs(value) <= double(std::numeric_limits<Scalar>::max());
      check(ec == std::errc() && ptr == end && fits, path, ":", line_number,
            ": column ", c + 1, " (\"", table.columns[c], "\") holds \"", cell, "\"; expected a finite number",
            std::is_same_v<Scalar, float> ? " within float's range." : ".");
      values.push_back(static_cast<Scalar>(value));
    }
    ++rows;
  }
  check(rows > 0, path, ": has a header row but no data rows.");
  table.values = Eigen::Map<const Matrix>(values.data(), rows, static_cast<Index>(width));
  return table;
}

Dataset read_csv(const std::string& path, CsvOptions options) {
  Table table = read_table(path, options.delimiter);
  const Index width = static_cast<Index>(table.columns.size());
  check(width >= 2, path, ": expected at least two columns (features and a label); received ", width, ".");
  Index label = width - 1;
  if (!options.label.empty()) {
    auto it = std::find(table.columns.begin(), table.columns.end(), options.label);
    if (it == table.columns.end()) {
      std::string names;
      for (const auto& c : table.columns) names += (names.empty() ? "" : ", ") + c;
      fail(str(path, ": no column named \"", options.label, "\". Columns: ", names, "."));
    }
    label = it - table.columns.begin();
  } else if (options.label_index >= 0) {
    check(options.label_index < width, path, ": label_index ", options.label_index, " is out of range; the file has ",
          width, " columns.");
    label = options.label_index;
  }
  Dataset data;
  data.y = table.values.col(label);
  data.x.resize(table.values.rows(), width - 1);
  for (Index c = 0, out = 0; c < width; ++c)
    if (c != label) data.x.col(out++) = table.values.col(c);
  return data;
}

}  // namespace descent::data
