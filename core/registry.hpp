// Registry: the one mechanism from a Keras name to a factory, shared by every family Keras serializes by class_name
// (layers, losses, metrics, optimizers, ...), as Keras's register_keras_serializable and get() are.
#pragma once

#include "config.hpp"
#include "error.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

namespace descent {

/// How a family compares names. Keras's optimizers.get() lowercases ("Adam", "adam" and "ADAM" are one optimizer);
/// losses, metrics and layers match exactly.
enum class NameMatch { exact, ignore_case };

/// The built-in classes of one family and whatever users register. `Factory` is the family's maker: a function
/// from a ConfigReader (and whatever else the family needs) to an object.
template <class Factory>
class Registry {
 public:
  struct Entry {
    std::string class_name;            ///< the Keras class name, written to files
    std::vector<std::string> aliases;  ///< Keras's string names ("mse", "mean_squared_error"); the first is the default
    Factory make;
  };

  /// `family` names one member in messages ("optimizer"), `plural` several ("optimizers").
  Registry(std::string family, std::string plural, NameMatch match, std::vector<Entry> builtins)
      : family_(std::move(family)), plural_(std::move(plural)), match_(match) {
    for (auto& entry : builtins) add(std::move(entry));
  }

  /// Adds a class; a class name or alias that already means something is an Error (a silent shadowing would load
  /// files differently depending on registration order).
  void add(Entry entry) {
    check(!entry.class_name.empty() && entry.make, "register_", family_, ": expected a class name and a factory.");
    std::vector<std::string> names = {entry.class_name};
    names.insert(names.end(), entry.aliases.begin(), entry.aliases.end());
    for (const std::string& name : names)
      check(find(name) == nullptr, "register_", family_, ": the name \"", name, "\" is already registered. Known ",
            plural_, ": ", valid_names(), ".");
    const auto at = std::find_if(entries_.begin(), entries_.end(),
                                 [&](const Entry& e) { return e.class_name > entry.class_name; });
    entries_.insert(at, std::move(entry));  // kept in class-name order, for listings
  }

  /// The entry a class name or alias names, or nullptr.
  const Entry* find(const std::string& name) const {
    for (const Entry& entry : entries_)
      if (same(entry.class_name, name) ||
          std::any_of(entry.aliases.begin(), entry.aliases.end(), [&](const std::string& a) { return same(a, name); }))
        return &entry;
    return nullptr;
  }

  /// The entry, or an Error naming `where` (a JSON path; empty for a name given in code) and the valid names.
  const Entry& at(const std::string& name, const std::string& where = "") const {
    const Entry* entry = find(name);
    if (entry == nullptr) {
      if (where.empty()) fail(str("Unknown ", family_, " \"", name, "\". Valid ", plural_, ": ", valid_names(), "."));
      fail_at(where, str("unknown ", family_, " \"", name, "\". Valid ", plural_, ": ", valid_names(), "."));
    }
    return *entry;
  }

  /// What the class or alias `name` makes from `config`, read strictly (unknown keys are errors); `where` places
  /// the name in messages (empty for a name given in code) and `config_where` the config. For families whose
  /// factory takes only the reader.
  auto make(const std::string& name, const json& config, const std::string& where,
            const std::string& config_where) const {
    const Entry& entry = at(name, where);
    ConfigReader reader(config, config_where);
    auto made = within(config_where, [&] { return entry.make(reader); });  // constructors' checks lack the path
    reader.finish();
    return made;
  }

  /// Every class name, sorted.
  std::vector<std::string> class_names() const {
    std::vector<std::string> names;
    for (const Entry& entry : entries_) names.push_back(entry.class_name);
    return names;
  }

  /// The names a user types, for messages: each class's aliases (or its class name when it has none), in
  /// class-name order.
  std::vector<std::string> names() const {
    std::vector<std::string> names;
    for (const Entry& entry : entries_) {
      if (entry.aliases.empty()) names.push_back(entry.class_name);
      names.insert(names.end(), entry.aliases.begin(), entry.aliases.end());
    }
    return names;
  }

  std::string valid_names() const {
    std::string joined;
    for (const std::string& name : names()) joined += (joined.empty() ? "" : ", ") + name;
    return joined;
  }

 private:
  bool same(const std::string& a, const std::string& b) const {
    if (match_ == NameMatch::exact) return a == b;
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
      return std::tolower(x) == std::tolower(y);
    });
  }

  std::string family_, plural_;
  NameMatch match_;
  std::vector<Entry> entries_;
};

}  // namespace descent
