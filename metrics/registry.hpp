// Metric names and configs to metrics, with Keras's resolution of "accuracy" from the shapes of targets and outputs.
#pragma once

#include "metric.hpp"

#include <descent/core/config.hpp>
#include <descent/core/identifier.hpp>

#include <functional>
#include <memory>
#include <type_traits>
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

/// Makes a metric named `name` (the config's name, or the string it was asked for) from the config keys its class
/// reads; the registry reads "name" and "dtype" and finishes the reader afterwards.
using MetricFactory =
    std::function<std::shared_ptr<Metric>(ConfigReader&, const std::string& name, const Shapes& shapes)>;

/// Adds a metric class of the user's, as Keras's register_keras_serializable: compile configs and saved models naming
/// it then load. `class_name` must be what the class's class_name() returns; `aliases` are its string names, the
/// first being its default name. A name already registered is an error.
void register_metric(const std::string& class_name, std::vector<std::string> aliases, MetricFactory factory);
/// register_metric for a class T built from an options struct with a `name` and a static `fields` list of its other
/// keys (or, without options, default-constructed): its class_name() and default name() come from T().
template <class T>
void register_metric() {
  register_metric(T().class_name(), {T().name()}, [](ConfigReader& reader, const std::string& name, const Shapes&) {
    std::shared_ptr<Metric> metric;
    if constexpr (requires(const T& m) { m.options(); }) {
      std::remove_cvref_t<decltype(std::declval<const T&>().options())> o;
      read_fields(reader, o);
      metric = std::make_shared<T>(o);
    } else {
      metric = std::make_shared<T>();
    }
    metric->set_name(name);
    return metric;
  });
}

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
/// Every name get() knows besides the loss names.
std::vector<std::string> names();
/// Every metric class the registry builds from {"class_name", "config"} (losses as metrics aside), for round trips.
std::vector<std::string> class_names();

}  // namespace descent::metrics
