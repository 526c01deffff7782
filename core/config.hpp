// Strict reading of Keras {class_name, config} objects: unknown keys and wrong types are errors that name the JSON path.
#pragma once

#include "error.hpp"
#include "tensor.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace descent {

using json = nlohmann::json;

/// Reads one JSON object. Every key must be read or ignored; finish() rejects the rest and lists the valid ones,
/// because a misspelled option silently dropped is worse than an error.
class ConfigReader {
 public:
  /// `where` names the object in messages, e.g. "model.json: config.layers[2].config".
  ConfigReader(const json& object, std::string where);

  /// The value at key, or nullptr when absent (or null).
  const json* find(const std::string& key);

  void read(const std::string& key, double& out);
  void read(const std::string& key, float& out);
  void read(const std::string& key, bool& out);
  void read(const std::string& key, int& out);
  void read(const std::string& key, long& out);
  void read(const std::string& key, long long& out);
  void read(const std::string& key, unsigned long& out);
  void read(const std::string& key, std::string& out);
  /// A non-negative integer, or nothing when absent or null (Keras's seeds).
  void read(const std::string& key, std::optional<std::uint64_t>& out);
  /// An array of numbers; a non-number entry is an error naming its index.
  void read(const std::string& key, std::vector<double>& out);
  template <class T>
  void read(const std::string& key, std::optional<T>& out) {
    if (find(key)) {
      T value{};
      read(key, value);
      out = value;
    }
  }

  /// Keys Keras writes that carry nothing Descent needs.
  void ignore(std::initializer_list<const char*> keys);
  /// Throws for keys neither read nor ignored.
  void finish() const;

  /// "where.key" for messages about one value.
  std::string path(const std::string& key) const;
  const std::string& where() const { return where_; }

 private:
  json object_;  // a copy: readers are often built on temporaries such as json::object()
  std::string where_;
  std::set<std::string> known_;
};

/// An options struct names its Keras keys once, in a static `fields(options, visit)` that calls visit(key, member)
/// for each; read_fields (for from_config) and with_fields (for config()) use that one list, so a key cannot be read
/// under one spelling and written under another.
template <class Options>
void read_fields(ConfigReader& reader, Options& options) {
  Options::fields(options, [&reader](const char* key, auto& member) { reader.read(key, member); });
}

/// Declares an options struct's field list from its member names, which are its Keras config keys:
/// `DESCENT_FIELDS(beta_1, beta_2, epsilon);` is `fields(o, visit)` calling visit("beta_1", o.beta_1), and so on.
/// (nlohmann/json's NLOHMANN_JSON_PASTE applies one macro to each argument, as its own
/// NLOHMANN_DEFINE_TYPE_INTRUSIVE does.)
#define DESCENT_FIELDS(...)                                               \
  template <class Self, class Visit>                                      \
  static void fields(Self& o, Visit&& visit) {                            \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(DESCENT_FIELD, __VA_ARGS__)) \
  }                                                                       \
  static_assert(true, "")  // lets the use end with a semicolon
#define DESCENT_FIELD(member) visit(#member, o.member);

/// `config` with every field of `options` added (an empty optional as null, Keras's None).
template <class Options>
json with_fields(json config, const Options& options) {
  Options::fields(options, [&config](const char* key, const auto& member) {
    if constexpr (requires { member.has_value(); }) config[key] = member ? json(*member) : json(nullptr);
    else config[key] = member;
  });
  return config;
}

/// "seed": a non-negative integer, or nothing when absent or null (Keras's unseeded default).
std::optional<std::uint64_t> read_seed(ConfigReader& r);

/// Parses JSON text in time linear in its size; nesting deeper than 100 levels, or malformed input, is an Error
/// "<source>: malformed JSON at line L, column C: ...".
json parse_json(const std::string& text, const std::string& source);

/// The longest JSON file Descent reads (a manifest of 200 000 weights is 20 MB).
constexpr std::uint64_t kMaxJsonFileBytes = std::uint64_t{1} << 30;

/// A short rendering of a JSON value for messages: "8", "\"relu\"", "an object".
std::string describe(const json& value);

/// Splits {"class_name", "config"} (Keras 2/3 and TF.js); `where` names it in messages.
struct ClassAndConfig {
  std::string class_name;
  json config;
};
ClassAndConfig split_class_and_config(const json& object, const std::string& where);

}  // namespace descent
