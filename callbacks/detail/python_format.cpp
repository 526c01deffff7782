// Python float formatting. repr follows float_repr_style 'short' (Python's Objects/floatobject.c): the shortest
// round-trip digits, which std::to_chars also produces, laid out by Python's own rule for fixed or scientific.
#include "python_format.hpp"

#include <descent/core/error.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cctype>
#include <cstdio>

namespace descent::nn {

std::string python_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string text(buffer, end);  // "-1.2345e-05": sign, digits around one point, exponent
  std::string sign;
  if (text[0] == '-') {
    sign = "-";
    text.erase(0, 1);
  }
  const std::size_t e = text.find('e');
  const int exponent = std::stoi(text.substr(e + 1));
  std::string digits = text.substr(0, e);
  if (digits.size() > 1) digits.erase(1, 1);  // drop the point
  const int count = static_cast<int>(digits.size());

  if (exponent < -4 || exponent >= 16) {
    std::string mantissa = digits;
    if (count > 1) mantissa.insert(1, 1, '.');
    char exp_text[16];
    std::snprintf(exp_text, sizeof exp_text, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    return sign + mantissa + exp_text;
  }
  std::string fixed;
  if (exponent < 0) {
    fixed = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
  } else if (exponent + 1 >= count) {
    fixed = digits + std::string(static_cast<std::size_t>(exponent + 1 - count), '0') + ".0";
  } else {
    fixed = digits.substr(0, static_cast<std::size_t>(exponent + 1)) + "." +
            digits.substr(static_cast<std::size_t>(exponent + 1));
  }
  return sign + fixed;
}

namespace {

struct Field {
  std::string name, spec;
};

bool is_identifier(const std::string& s) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  return !s.empty() && !std::isdigit(static_cast<unsigned char>(s[0])) && std::all_of(s.begin(), s.end(), word);
}

// Up to `most` digits from position i; returns how many.
std::size_t digits_at(const std::string& s, std::size_t i, std::size_t most) {
  std::size_t n = 0;
  while (n < most && i + n < s.size() && std::isdigit(static_cast<unsigned char>(s[i + n]))) ++n;
  return n;
}

// [0][width][.precision][type]: width and precision below 100, type one of d f e E g G %.
bool is_supported_spec(const std::string& s) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '0') ++i;
  i += digits_at(s, i, 2);
  if (i < s.size() && s[i] == '.') {
    const std::size_t n = digits_at(s, i + 1, 2);
    if (n == 0) return false;
    i += 1 + n;
  }
  if (i < s.size() && std::string_view("dfeEgG%").find(s[i]) != std::string_view::npos) ++i;
  return i == s.size();
}

// Splits the pattern into literal text and fields; `on_field` receives each field in order.
template <class OnText, class OnField>
void scan(const std::string& pattern, const std::string& where, OnText on_text, OnField on_field) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if ((c == '{' || c == '}') && i + 1 < pattern.size() && pattern[i + 1] == c) {
      on_text(c);
      ++i;
    } else if (c == '}') {
      fail(str(where, ": single '}' at position ", i, " in \"", pattern, "\". Expected \"}}\" for a brace."));
    } else if (c == '{') {
      const std::size_t close = pattern.find('}', i);
      check(close != std::string::npos, where, ": unclosed '{' at position ", i, " in \"", pattern, "\".");
      const std::string inside = pattern.substr(i + 1, close - i - 1);
      const std::size_t colon = inside.find(':');
      Field f{inside.substr(0, colon), colon == std::string::npos ? "" : inside.substr(colon + 1)};
      check(is_identifier(f.name), where, ": field \"{", inside, "}\" in \"", pattern,
            "\" needs a name. Expected {name} or {name:spec}, e.g. {epoch:02d} or {val_loss:.2f}.");
      check(is_supported_spec(f.spec), where, ": unsupported format spec \"", f.spec, "\" in \"", pattern,
            "\". Expected [0][width][.precision][type], width and precision below 100, type d, f, e, E, g, G or %.");
      on_field(f);
      i = close;
    } else {
      on_text(c);
    }
  }
}

std::string format_value(const FormatValue& value, const std::string& spec, const std::string& where,
                         const std::string& name) {
  const char type = spec.empty() ? '\0' : spec.back();
  const bool typed = type != '\0' && std::string("dfeEgG%").find(type) != std::string::npos;
  const std::string flags = typed ? spec.substr(0, spec.size() - 1) : spec;
  char buffer[512];
  if (const long long* i = std::get_if<long long>(&value)) {
    if (!typed && flags.empty()) return std::to_string(*i);
    if (!typed || type == 'd') {
      check(flags.find('.') == std::string::npos, where, ": {", name, ":", spec,
            "}: an integer takes no precision.");
      std::snprintf(buffer, sizeof buffer, ("%" + flags + "lld").c_str(), *i);
      return buffer;
    }
    return format_value(static_cast<double>(*i), spec, where, name);
  }
  const double x = std::get<double>(value);
  check(type != 'd', where, ": {", name, ":", spec, "}: format 'd' needs an integer; ", name, " is a float (",
        python_repr(x), ").");
  if (!typed && flags.empty()) return python_repr(x);
  if (type == '%') {
    std::snprintf(buffer, sizeof buffer, ("%" + flags + "f").c_str(), x * 100);
    return std::string(buffer) + "%";
  }
  std::snprintf(buffer, sizeof buffer, ("%" + flags + (typed ? std::string(1, type) : "g")).c_str(), x);
  return buffer;
}

}  // namespace

std::vector<std::string> python_format_fields(const std::string& pattern, const std::string& where) {
  std::vector<std::string> names;
  scan(pattern, where, [](char) {}, [&](const Field& f) { names.push_back(f.name); });
  return names;
}

std::string python_format(const std::string& pattern, const std::map<std::string, FormatValue>& values,
                          const std::string& where) {
  std::string out;
  scan(
      pattern, where, [&](char c) { out += c; },
      [&](const Field& f) {
        auto it = values.find(f.name);
        if (it == values.end()) {
          std::string known;
          for (const auto& [k, _] : values) known += (known.empty() ? "" : ", ") + k;
          fail(str(where, ": cannot fill {", f.name, "} in \"", pattern, "\": no value named \"", f.name,
                   "\". Available: ", known, "."));
        }
        out += format_value(it->second, f.spec, where, f.name);
      });
  return out;
}

}  // namespace descent::nn
