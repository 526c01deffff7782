// Metric names and configs to metrics, with Keras's resolution of "accuracy" from the shapes of targets and outputs.
#pragma once

#include "metric.hpp"

#include <descent/core/identifier.hpp>

#include <memory>
#include <string>
#include <vector>

namespace descent::metrics {

/// A metric name ("accuracy", "mse") or object.
using MetricId = Identifier<Metric>;

/// What "accuracy" depends on: the model's output columns and the loss's target columns.
struct Shapes {
  Index outputs = 1;
  Index target_columns = 1;
};

/// By name, as Keras's compile: "accuracy"/"acc" become binary, sparse categorical or categorical accuracy from
/// the shapes (keras/src/trainers/compile_utils.py); Keras metric names and class names ("auc", "AUC") make that
/// metric with its defaults; any loss name becomes that loss as a metric. The metric's name is the string given.
/// Throws listing the valid names.
std::shared_ptr<Metric> get(const std::string& name, const Shapes& shapes);
/// get(std::string(name), shapes): a string literal would otherwise match both the std::string and MetricId forms.
std::shared_ptr<Metric> get(const char* name, const Shapes& shapes);
/// The identifier's object, or get(name, shapes).
std::shared_ptr<Metric> get(const MetricId& id, const Shapes& shapes);
/// From a name string or {"class_name", "config"} (Keras 3 metric configs, Keras 2's MeanMetricWrapper, and loss
/// classes as metrics); `where` names the JSON place in messages.
std::shared_ptr<Metric> from_json(const nlohmann::json& value, const std::string& where, const Shapes& shapes = {});
/// {"class_name", "config"} of a metric.
nlohmann::json to_json(const Metric& metric);
/// Every name get() knows besides the loss names.
std::vector<std::string> names();
/// Every metric class the registry builds from {"class_name", "config"} (losses as metrics aside), for round trips.
std::vector<std::string> class_names();

}  // namespace descent::metrics
