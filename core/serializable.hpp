// Serializable: what every object Keras can write and rebuild has, a registered class name and a config.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace descent {

/// The interface shared by layers, losses, metrics, optimizers, schedules, initializers, regularizers and
/// constraints: the registries map class_name() back to a factory that reads config(), so for any of them
/// serialize(x) read by its family's registry rebuilds an equal object (Keras's serialize_keras_object).
class Serializable {
 public:
  virtual ~Serializable() = default;
  /// The Keras class name: "Dense", "Adam", "MeanSquaredError", ...
  virtual std::string class_name() const = 0;
  /// The Keras config: the constructor's keyword arguments, as JSON.
  virtual nlohmann::json config() const = 0;
};

/// {"class_name": object.class_name(), "config": object.config()}.
nlohmann::json serialize(const Serializable& object);

}  // namespace descent
