// The numeric CSV reader: a text table (text_table.cpp: quoting, delimiters, blank lines) whose cells are all numbers.
#include "csv.hpp"

#include "text_table.hpp"

#include <descent/core/error.hpp>
#include <descent/core/text.hpp>

#include <algorithm>
#include <numeric>

namespace descent::data {

Table read_table(const std::string& path, char delimiter) {
  TextTable text = read_text_table(path, delimiter);
  std::vector<Index> every(text.columns.size());
  std::iota(every.begin(), every.end(), Index{0});
  return {text.columns, text.numbers(every)};
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
      for (const auto& c : table.columns) names += (names.empty() ? "" : ", ") + descent::quoted(c);
      fail(str(path, ": no column named ", descent::quoted(options.label), ". Columns: ", names, "."));
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
