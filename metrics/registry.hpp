// Metric names to metrics, with Keras's resolution of "accuracy" from the shapes of targets and outputs.
#pragma once

#include "metric.hpp"

#include "../nn/identifier.hpp"

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
/// the shapes (keras/src/trainers/compile_utils.py); any loss name becomes that loss as a metric. The metric's
/// name is the string given. Throws listing the valid names.
std::shared_ptr<Metric> get(const std::string& name, const Shapes& shapes);
/// The identifier's object, or get(name, shapes).
std::shared_ptr<Metric> get(const MetricId& id, const Shapes& shapes);
/// Every name get() knows besides the loss names.
std::vector<std::string> names();

}  // namespace descent::metrics
