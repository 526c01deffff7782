// Callback and History helpers.
#include "callback.hpp"

#include <descent/core/error.hpp>

namespace descent::nn {

Model& Callback::model() const {
  check(model_ != nullptr, "Callback: model() is only available during fit.");
  return *model_;
}

const std::vector<double>& History::operator[](const std::string& key) const {
  auto it = history.find(key);
  if (it == history.end()) {
    std::string keys;
    for (const auto& [k, _] : history) keys += (keys.empty() ? "" : ", ") + k;
    fail(str("History: no key \"", key, "\". Keys: ", keys, "."));
  }
  return it->second;
}

}  // namespace descent::nn
