// Strict JSON config reading with path-naming errors.
#include "config.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace descent {

namespace {

// Line and column (from 1) of byte `end` of `text`.
std::string place_in(const std::string& text, std::size_t end) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < std::min(end, text.size()); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return str("line ", line, ", column ", column);
}

// The byte where `text` first nests deeper than `limit`, or npos. One pass, strings skipped; malformed text is
// left to the parser. (nlohmann's parse callback could count depth too, but makes parsing quadratic.)
std::size_t too_deep_at(const std::string& text, int limit) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string::npos;
}

}  // namespace

json parse_json(const std::string& text, const std::string& source) {
  // Copying and printing JSON recurse once per level, so absurd nesting would overflow the stack later.
  constexpr int kMaxDepth = 100;
  if (const std::size_t at = too_deep_at(text, kMaxDepth); at != std::string::npos)
    fail(str(source, ": JSON nested deeper than ", kMaxDepth, " levels at ", place_in(text, at),
             "; no model config needs that."));
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte counts the characters read, the offending one included.
    std::string what = e.what();
    if (auto p = what.find(": "); p != std::string::npos) what = what.substr(p + 2);
    fail(str(source, ": malformed JSON at ", place_in(text, e.byte == 0 ? 0 : e.byte - 1), ": ", what));
  } catch (const json::out_of_range& e) {
    // The parser reports a number beyond double's range this way, without a position.
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    fail(str(source, ": malformed JSON: ", what));
  }
}

ConfigReader::ConfigReader(const json& object, std::string where) : object_(object), where_(std::move(where)) {
  check_at(object_.is_object() || object_.is_null(), where_, "expected a JSON object; received ", describe(object_), ".");
}

const json* ConfigReader::find(const std::string& key) {
  known_.insert(key);
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string ConfigReader::path(const std::string& key) const { return where_ + "." + key; }

void ConfigReader::read(const std::string& key, double& out) {
  if (const json* v = find(key)) {
    check_at(v->is_number(), path(key), "expected a number; received ", describe(*v), ".");
    out = v->get<double>();
  }
}

void ConfigReader::read(const std::string& key, float& out) {
  double value = out;
  read(key, value);
  out = static_cast<float>(value);
}

void ConfigReader::read(const std::string& key, bool& out) {
  if (const json* v = find(key)) {
    check_at(v->is_boolean(), path(key), "expected true or false; received ", describe(*v), ".");
    out = v->get<bool>();
  }
}

namespace {
template <class Int>
void read_integer(ConfigReader& reader, const std::string& key, Int& out) {
  if (const json* v = reader.find(key)) {
    // Ranges are compared before any cast: casting a number beyond the target's range is undefined behaviour.
    using Limits = std::numeric_limits<Int>;
    const double d = v->is_number() ? v->get<double>() : 0.0;
    const bool whole_float = v->is_number_float() && std::isfinite(d) && std::trunc(d) == d;
    check_at(v->is_number_integer() || whole_float, reader.path(key), "expected an integer; received ", describe(*v),
             ".");
    bool in_range;
    if (v->is_number_unsigned())
      in_range = v->get<std::uint64_t>() <= static_cast<std::uint64_t>(Limits::max());
    else if (v->is_number_integer())
      in_range = v->get<std::int64_t>() >= static_cast<std::int64_t>(Limits::min()) &&
                 (v->get<std::int64_t>() < 0 || static_cast<std::uint64_t>(v->get<std::int64_t>()) <=
                                                    static_cast<std::uint64_t>(Limits::max()));
    else  // 2^digits is exact in a double, and the first value beyond the range
      in_range = d >= static_cast<double>(Limits::min()) && d < std::ldexp(1.0, Limits::digits);
    check_at(in_range, reader.path(key), "integer out of range; received ", describe(*v), ".");
    out = v->is_number_integer() ? v->get<Int>() : static_cast<Int>(d);
  }
}
}  // namespace

void ConfigReader::read(const std::string& key, int& out) { read_integer(*this, key, out); }
void ConfigReader::read(const std::string& key, long& out) { read_integer(*this, key, out); }
void ConfigReader::read(const std::string& key, long long& out) { read_integer(*this, key, out); }
void ConfigReader::read(const std::string& key, unsigned long& out) { read_integer(*this, key, out); }

void ConfigReader::read(const std::string& key, std::string& out) {
  if (const json* v = find(key)) {
    check_at(v->is_string(), path(key), "expected a string; received ", describe(*v), ".");
    out = v->get<std::string>();
  }
}

void ConfigReader::read(const std::string& key, std::vector<double>& out) {
  if (const json* v = find(key)) {
    check_at(v->is_array(), path(key), "expected an array of numbers; received ", describe(*v), ".");
    out.clear();
    for (std::size_t i = 0; i < v->size(); ++i) {
      check_at((*v)[i].is_number(), str(path(key), "[", i, "]"), "expected a number; received ", describe((*v)[i]),
               ".");
      out.push_back((*v)[i].get<double>());
    }
  }
}

void ConfigReader::ignore(std::initializer_list<const char*> keys) {
  for (const char* k : keys) known_.insert(k);
}

void ConfigReader::finish() const {
  if (!object_.is_object()) return;
  for (const auto& [key, value] : object_.items()) {
    if (known_.count(key)) continue;
    std::string valid;
    for (const auto& k : known_) valid += (valid.empty() ? "" : ", ") + k;
    fail_at(path(key), str("unknown key \"", key, "\". Valid keys: ", valid, "."));
  }
}

void ConfigReader::read(const std::string& key, std::optional<std::uint64_t>& out) {
  if (const json* v = find(key)) {
    check_at(v->is_number_integer() && v->get<long long>() >= 0, path(key),
             "expected a non-negative integer or null; received ", describe(*v), ".");
    out = v->get<std::uint64_t>();
  }
}

std::optional<std::uint64_t> read_seed(ConfigReader& r) {
  std::optional<std::uint64_t> seed;
  r.read("seed", seed);
  return seed;
}

std::string describe(const json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

ClassAndConfig split_class_and_config(const json& object, const std::string& where) {
  check_at(object.is_object(), where, "expected an object {\"class_name\", \"config\"}; received ", describe(object),
           ".");
  auto name = object.find("class_name");
  check_at(name != object.end() && name->is_string(), where + ".class_name", "expected a string; received ",
           name == object.end() ? std::string("nothing") : describe(*name), ".");
  auto config = object.find("config");
  return {name->get<std::string>(), config == object.end() ? json::object() : *config};
}

}  // namespace descent
