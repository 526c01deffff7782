// Callback and History helpers.
#include "callback.hpp"

#include <descent/core/error.hpp>

#include <algorithm>
#include <iomanip>
#include <ostream>

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

namespace {

// Keras's order: loss first, then the other entries by name, validation entries after the training ones.
std::vector<std::string> keras_order(std::vector<std::string> keys) {
  const auto rank = [](const std::string& k) {
    const bool val = k.starts_with("val_");
    return (val ? 2 : 0) + (k == (val ? "val_loss" : "loss") ? 0 : 1);
  };
  std::stable_sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  return keys;
}

void put(std::ostream& out, const std::vector<std::string>& keys, auto value_of) {
  const auto flags = out.flags();
  const auto precision = out.precision();
  out << std::fixed << std::setprecision(4);
  for (std::size_t i = 0; i < keys.size(); ++i) out << (i ? " - " : "") << keys[i] << ": " << value_of(keys[i]);
  out.flags(flags);
  out.precision(precision);
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const Logs& logs) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : logs) keys.push_back(k);
  put(out, keras_order(keys), [&](const std::string& k) { return logs.at(k); });
  return out;
}

std::ostream& operator<<(std::ostream& out, const History& history) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : history.history) keys.push_back(k);
  keys = keras_order(keys);
  for (std::size_t e = 0; e < history.epoch.size(); ++e) {
    out << "Epoch " << history.epoch[e] + 1 << ": ";
    // Keys a callback added late (ReduceLROnPlateau's learning_rate) may lack the first epochs.
    std::vector<std::string> present;
    for (const auto& k : keys)
      if (history.history.at(k).size() > e) present.push_back(k);
    put(out, present, [&](const std::string& k) { return history.history.at(k)[e]; });
    out << "\n";
  }
  if (history.interrupted) out << "(interrupted)\n";
  return out;
}

}  // namespace descent::nn
