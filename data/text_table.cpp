// The CSV reader: the file rules (RFC 4180 quoting, delimiters, blank lines, UTF-8, errors with line and column), cells kept as text until a caller asks for numbers.
#include "text_table.hpp"

#include "csv.hpp"

#include <descent/core/error.hpp>
#include <descent/core/text.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <string_view>
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

bool blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

// Follows the quotes of one line by split_csv_line's rules: `open` says whether a quoted field runs on from the line
// before, and is left saying whether one runs on past this line; `opened_at` is the line where that field opened.
void follow_quotes(const std::string& line, std::size_t line_number, bool& open, std::size_t& opened_at) {
  for (std::size_t i = line.find('"'); i != std::string::npos; i = line.find('"', i + 1)) {
    if (!open) {
      open = true;
      opened_at = line_number;
    } else if (i + 1 < line.size() && line[i + 1] == '"') {
      ++i;  // "" inside a quoted field is one quote character
    } else {
      open = false;
    }
  }
}

// Reads the next record, skipping blank lines before it: one line, joined by '\n' to the lines after it while a
// quoted field is open, since RFC 4180 lets a quoted field hold line breaks. `line_number` counts every line read;
// `start` becomes the line the record starts on, the one its errors name. False at the end of the file.
bool read_record(std::istream& in, const std::string& path, std::string& record, std::size_t& line_number,
                 std::size_t& start) {
  do {
    if (!std::getline(in, record)) return false;
    ++line_number;
  } while (blank(record));
  start = line_number;
  bool open = false;
  std::size_t opened_at = 0;
  follow_quotes(record, line_number, open, opened_at);
  std::string more;
  while (open) {
    check(static_cast<bool>(std::getline(in, more)), path, ":", opened_at,
          ": the quoted field opened on this line is not closed by the end of the file; expected a closing '\"' (a "
          "quote inside a quoted field is written \"\").");
    ++line_number;
    record += '\n';
    record += more;
    follow_quotes(more, line_number, open, opened_at);
  }
  return true;
}

// Every cell and name must be UTF-8 without NUL bytes, checked before anything uses them: a NUL cuts C strings and
// messages short, and a file saved in another encoding (Latin-1's "caf\xe9") would otherwise train on labels that
// print as garbage. The line is counted to the bad byte, as a quoted field may span lines; no cell loses a '\n' to
// trimming, so the record's line breaks are all still in its cells.
void check_text(const std::vector<std::string>& cells, const std::string& path, std::size_t start, const char* what,
                const char* part) {
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const std::string& cell = cells[c];
    const std::size_t nul = cell.find('\0');
    const std::size_t bad = std::min(nul, invalid_utf8_at(cell));
    if (bad == std::string::npos) continue;
    const auto breaks = [](std::string_view text) { return std::count(text.begin(), text.end(), '\n'); };
    auto line = start + static_cast<std::size_t>(breaks(std::string_view(cell).substr(0, bad)));
    for (std::size_t d = 0; d < c; ++d) line += static_cast<std::size_t>(breaks(cells[d]));
    if (bad == nul)
      fail(str(path, ":", line, ": ", what, " ", c + 1, " holds a NUL byte at byte ", bad, " of the ", part,
               "; expected UTF-8 text without NUL bytes."));
    static const char* hex = "0123456789abcdef";
    const auto byte = static_cast<unsigned char>(cell[bad]);
    fail(str(path, ":", line, ": ", what, " ", c + 1, " holds the byte 0x", hex[byte >> 4], hex[byte & 0xF],
             " at byte ", bad, " of the ", part,
             ", which is not UTF-8; expected UTF-8 text (save the file as UTF-8)."));
  }
}

// The candidate that splits the header into the most fields; a one-column file gets ','.
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

std::string column_list(const std::vector<std::string>& columns) {
  std::string names;
  for (const auto& c : columns) names += (names.empty() ? "" : ", ") + descent::quoted(c);
  return names;
}

std::string quote_if_needed(const std::string& cell, char delimiter) {
  // A leading byte order mark is quoted too, or reading would take it for the file's own and drop it.
  if (cell.find_first_of(std::string{delimiter, '"', '\n', '\r'}) == std::string::npos &&
      !cell.starts_with("\xEF\xBB\xBF"))
    return cell;
  std::string out = "\"";
  for (char c : cell) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

bool parse_number(const std::string& cell, double& value) {
  if (cell.empty()) return false;
  const char* begin = cell.data();
  const char* end = begin + cell.size();
  if (*begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  // Finite as a Scalar: 1e39 parses as a double but is beyond float's range.
  return ec == std::errc() && ptr == end && std::isfinite(value) &&
         std::abs(value) <= double(std::numeric_limits<Scalar>::max());
}

TextTable read_text_table(const std::string& path, char delimiter) {
  std::error_code ec;
  check(!std::filesystem::is_directory(path, ec), path, ": is a directory; expected a CSV file.");
  std::ifstream in(path);
  check(in.good(), path, ": cannot open the file for reading",
        std::filesystem::exists(path, ec) ? " (permission denied?)." : ": no such file.");
  std::string record;
  std::size_t line_number = 0, start = 0;
  // The header is the first record.
  check(read_record(in, path, record, line_number, start), path,
        ": the file is empty; expected a header row and data rows.");
  if (record.size() >= 3 && record.compare(0, 3, "\xEF\xBB\xBF") == 0) record.erase(0, 3);  // UTF-8 byte order mark
  TextTable table;
  table.path = path;
  table.delimiter = delimiter == '\0' ? detect_delimiter(record) : delimiter;
  for (auto& name : split_csv_line(record, table.delimiter)) table.columns.push_back(trim(name));
  check_text(table.columns, path, start, "header column", "name");
  const std::size_t width = table.columns.size();
  std::map<std::string, std::size_t> seen;
  for (std::size_t c = 0; c < width; ++c) {
    check(!table.columns[c].empty(), path, ":", start, ": header column ", c + 1,
          " has no name; expected a name for every column.");
    // Columns are found by name (features, the label), so a second one of a name would never be read.
    auto [first, added] = seen.emplace(table.columns[c], c);
    if (!added)
      fail(str(path, ":", start, ": columns ", first->second + 1, " and ", c + 1, " are both named ",
               descent::quoted(table.columns[c]), "; expected unique column names."));
  }

  while (read_record(in, path, record, line_number, start)) {
    auto fields = split_csv_line(record, table.delimiter);
    for (auto& f : fields) f = trim(f);
    check_text(fields, path, start, "column", "cell");
    check(fields.size() == width, path, ":", start, ": expected ", width, " fields as in the header; received ",
          fields.size(), ".");
    table.rows.push_back(std::move(fields));
    table.lines.push_back(start);
  }
  check(in.eof(), path, ": reading failed after line ", line_number, ".");
  check(!table.rows.empty(), path, ": has a header row but no data rows.");
  return table;
}

std::string TextTable::place(Index row) const {
  const auto r = static_cast<std::size_t>(row);
  return r < lines.size() ? str(path, ":", lines[r]) : str(path, ": row ", row);
}

Index TextTable::find(const std::string& name) const {
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c] == name) return static_cast<Index>(c);
  return -1;
}

Index TextTable::column(const std::string& name_or_index, const std::string& what) const {
  if (Index c = find(name_or_index); c >= 0) return c;
  long long index = 0;
  const char* end = name_or_index.data() + name_or_index.size();
  auto [ptr, ec] = std::from_chars(name_or_index.data(), end, index);
  const auto width = static_cast<long long>(columns.size());
  if (!name_or_index.empty() && ec == std::errc() && ptr == end && index >= -width && index < width)
    return static_cast<Index>(index < 0 ? width + index : index);
  fail(str(path, ": no ", what, " ", descent::quoted(name_or_index),
           ". Expected a column name or a 0-based index below ", width, "; the columns are ", column_list(columns),
           "."));
}

Matrix TextTable::numbers(const std::vector<Index>& which) const {
  Matrix out(size(), static_cast<Index>(which.size()));
  for (Index r = 0; r < size(); ++r) {
    const auto& row = rows[static_cast<std::size_t>(r)];
    for (std::size_t j = 0; j < which.size(); ++j) {
      const auto c = static_cast<std::size_t>(which[j]);
      const std::string& cell = row[c];
      double value = 0.0;
      if (!parse_number(cell, value)) {  // not check(): its arguments, quoted() included, would run for every cell
        check(!cell.empty(), place(r), ": column ", c + 1, " (", descent::quoted(columns[c]),
              ") is empty; expected a number.");
        fail(str(place(r), ": column ", c + 1, " (", descent::quoted(columns[c]), ") holds ",
                 descent::quoted(cell), "; expected a finite number",
                 std::is_same_v<Scalar, float> ? " within float's range." : "."));
      }
      out(r, static_cast<Index>(j)) = static_cast<Scalar>(value);
    }
  }
  return out;
}

std::vector<std::string> TextTable::text(Index column) const {
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(row[static_cast<std::size_t>(column)]);
  return out;
}

TextTable TextTable::select(const std::vector<Index>& order) const {
  TextTable out;
  out.path = path;
  out.delimiter = delimiter;
  out.columns = columns;
  for (Index i : order) {
    check(i >= 0 && i < size(), "TextTable.select: row ", i, " is out of range; the table has ", size(), " rows.");
    out.rows.push_back(rows[static_cast<std::size_t>(i)]);
    if (!lines.empty()) out.lines.push_back(lines[static_cast<std::size_t>(i)]);
  }
  return out;
}

std::string to_csv(const TextTable& table) {
  std::string out;
  auto put_row = [&](const std::vector<std::string>& cells) {
    const std::size_t start = out.size();
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) out += table.delimiter;
      out += quote_if_needed(cells[c], table.delimiter);
    }
    // Reading skips blank lines, so a row of empty cells keeps a visible "" in front.
    if (out.find_first_not_of(" \t\r", start) == std::string::npos) out.insert(start, "\"\"");
    out += '\n';
  };
  put_row(table.columns);
  for (const auto& row : table.rows) put_row(row);
  return out;
}

}  // namespace descent::data
