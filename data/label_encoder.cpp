// LabelEncoder: numeric or text labels, sorted, with class indices kept when labels already are indices.
#include "label_encoder.hpp"

#include "text_table.hpp"

#include <descent/core/error.hpp>
#include <descent/core/text.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

namespace descent::data {

std::string LabelEncoder::canonical_number(const std::string& label) {
  double value = 0.0;
  if (!parse_number(label, value)) return "";
  if (value == 0.0) value = 0.0;  // -0 and 0 are one class
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

LabelEncoder& LabelEncoder::fit(const std::vector<std::string>& labels, Index classes) {
  check(!labels.empty(), "LabelEncoder.fit: received no labels.");
  bool numeric = true;
  for (const auto& l : labels)
    if (canonical_number(l).empty()) {
      numeric = false;
      break;
    }
  classes_.clear();
  numeric_ = numeric;
  if (numeric) {
    std::map<double, std::string> found;  // numeric order
    for (const auto& l : labels) {
      double value = 0.0;
      parse_number(l, value);
      found.emplace(value == 0.0 ? 0.0 : value, canonical_number(l));
    }
    const bool indices = classes > 0 && std::all_of(found.begin(), found.end(), [&](const auto& entry) {
      return entry.first >= 0 && entry.first < static_cast<double>(classes) && std::floor(entry.first) == entry.first;
    });
    if (indices) {
      for (Index c = 0; c < classes; ++c) classes_.push_back(std::to_string(c));
    } else {
      for (const auto& [value, text] : found) classes_.push_back(text);
    }
  } else {
    std::set<std::string> found(labels.begin(), labels.end());
    check(!found.contains(""), "LabelEncoder.fit: a label is empty; expected a class name for every sample.");
    classes_.assign(found.begin(), found.end());
  }
  return *this;
}

Index LabelEncoder::index_of(const std::string& label) const {
  const std::string key = numeric_ ? canonical_number(label) : label;
  if (key.empty() && numeric_) return -1;
  auto it = std::find(classes_.begin(), classes_.end(), key);
  return it == classes_.end() ? -1 : static_cast<Index>(it - classes_.begin());
}

const std::string& LabelEncoder::label(Index index) const {
  check(index >= 0 && index < size(), "LabelEncoder.label: class ", index, " is out of range; there are ", size(),
        " classes.");
  return classes_[static_cast<std::size_t>(index)];
}

void LabelEncoder::set(std::vector<std::string> classes, bool numeric) {
  check(!classes.empty(), "LabelEncoder.set: expected at least one class; received none.");
  classes_ = std::move(classes);
  numeric_ = numeric;
}

void LabelEncoder::unknown(const std::string& label, const std::string& where) const {
  std::string known;
  for (const auto& c : classes_) known += (known.empty() ? "" : ", ") + descent::quoted(c);
  fail(str(where, ": the label ", descent::quoted(label),
           " is not a class the model was trained on. Expected one of ", known, "."));
}

}  // namespace descent::data
