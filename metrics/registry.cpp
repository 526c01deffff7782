// The metric registry: accuracy family by name, losses as metrics.
#include "registry.hpp"

#include "accuracy.hpp"
#include "loss_metric.hpp"

#include "../losses/registry.hpp"
#include "../nn/error.hpp"

#include <functional>
#include <map>

namespace descent::metrics {
namespace {

using Factory = std::function<std::shared_ptr<Metric>(const std::string& name, const Shapes&)>;

const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> table = {
      {"accuracy", [](const std::string& name, const Shapes& s) -> std::shared_ptr<Metric> {
         if (s.outputs == 1) return std::make_shared<BinaryAccuracy>(BinaryAccuracyOptions{.name = name});
         if (s.target_columns == 1) return std::make_shared<SparseCategoricalAccuracy>(AccuracyOptions{name});
         return std::make_shared<CategoricalAccuracy>(AccuracyOptions{name});
       }},
      {"binary_accuracy", [](const std::string& name, const Shapes&) {
         return std::make_shared<BinaryAccuracy>(BinaryAccuracyOptions{.name = name});
       }},
      {"categorical_accuracy", [](const std::string& name, const Shapes&) {
         return std::make_shared<CategoricalAccuracy>(AccuracyOptions{name});
       }},
      {"sparse_categorical_accuracy", [](const std::string& name, const Shapes&) {
         return std::make_shared<SparseCategoricalAccuracy>(AccuracyOptions{name});
       }},
  };
  return table;
}

}  // namespace

std::shared_ptr<Metric> get(const std::string& name, const Shapes& shapes) {
  const auto& table = registry();
  auto it = table.find(name == "acc" ? "accuracy" : name);
  if (it != table.end()) return it->second(name, shapes);
  try {
    return std::make_shared<LossMetric>(losses::get(name), name);
  } catch (const Error&) {
    std::string valid = "acc";
    for (const auto& [k, _] : table) valid += ", " + k;
    fail(str("Unknown metric \"", name, "\". Valid metrics: ", valid, ", or any loss name (mse, mae, ...)."));
  }
}

std::shared_ptr<Metric> get(const MetricId& id, const Shapes& shapes) {
  return id.is_name() ? get(id.name(), shapes) : id.object();
}

std::vector<std::string> names() {
  std::vector<std::string> result;
  for (const auto& [k, _] : registry()) result.push_back(k);
  return result;
}

}  // namespace descent::metrics
