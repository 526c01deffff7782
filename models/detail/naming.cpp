// Keras's default names: snake_case of the class, then a counter.
#include "naming.hpp"

namespace descent::nn::detail {

// A letter-by-letter rule gives "pre_lu" and "zero_padding2_d", so these are Keras's three substitutions, each a
// left-to-right scan of non-overlapping matches as re.sub makes them (std::regex would do, but GCC 12 warns inside it
// under sanitizers).
std::string snake_case(const std::string& name) {
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  std::string word;  // re.sub(r"\W+", "", name)
  for (char c : name)
    if (upper(c) || lower(c) || (c >= '0' && c <= '9') || c == '_') word += c;
  std::string split;  // re.sub("(.)([A-Z][a-z]+)", r"\1_\2", ...): a match may start where the last one ended
  for (std::size_t i = 0, free = 0; i < word.size(); ++i) {
    if (i >= free + 1 && upper(word[i]) && i + 1 < word.size() && lower(word[i + 1])) {
      split += '_';
      for (free = i + 1; free < word.size() && lower(word[free]);) ++free;
    }
    split += word[i];
  }
  std::string out;  // re.sub("([a-z])([A-Z])", r"\1_\2", ...), then lower(): every lower-to-upper step
  for (std::size_t i = 0; i < split.size(); ++i) {
    if (i > 0 && upper(split[i]) && lower(split[i - 1])) out += '_';
    out += static_cast<char>(upper(split[i]) ? split[i] - 'A' + 'a' : split[i]);
  }
  return out;
}

std::string unique_name(const std::string& base, const std::function<bool(const std::string&)>& taken) {
  std::string candidate = base;
  for (int n = 1; taken(candidate); ++n) candidate = base + "_" + std::to_string(n);
  return candidate;
}

}  // namespace descent::nn::detail
