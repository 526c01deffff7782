// The layer registry: Keras class names ("Dense", "Activation", ...) to layers, and layers back to JSON.
#pragma once

#include "layer.hpp"

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <vector>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Makes a layer from the config keys its class reads ("name" and its own). The registry reads "trainable",
/// "dtype" and the input-shape keys, and finishes the reader afterwards, so an unknown key is still an error.
using LayerFactory = std::unique_ptr<Layer> (*)(ConfigReader&);

/// Adds a layer class of the user's to the registry, as Keras's register_keras_serializable: models that use it then
/// load from JSON and saved files like models of built-in layers. `class_name` must be what the class's
/// class_name() returns; a name already registered is an error. Register before loading, not during.
void register_layer(const std::string& class_name, LayerFactory factory);
/// register_layer(T::registered_name, &T::from_config): for a class with a static `registered_name` and a static
/// from_config.
template <class T>
void register_layer() {
  register_layer(T::registered_name, &T::from_config);
}

/// A layer from its Keras object {"class_name", "config"} (Keras 2, Keras 3 or TF.js). Unknown classes and unknown
/// config keys are errors listing the valid ones; `where` names the object in messages
/// ("model.json: config.layers[2]").
std::unique_ptr<Layer> layer_from_json(const nlohmann::json& object, const std::string& where);
/// {"class_name", "config"} of a layer, in the Keras-2 dialect TF.js and Keras 3 both read.
nlohmann::json layer_to_json(const Layer& layer);
/// Every registered class name.
std::vector<std::string> layer_class_names();

}  // namespace descent::nn
