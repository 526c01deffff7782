// The layer registry: Keras class names ("Dense", "Activation", ...) to layers, and layers back to JSON.
#pragma once

#include "layer.hpp"

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <typeinfo>
#include <vector>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Makes a layer from the config keys its class reads ("name" and its own). The registry reads "trainable",
/// "dtype" and the input-shape keys, and finishes the reader afterwards, so an unknown key is still an error.
using LayerFactory = std::unique_ptr<Layer> (*)(ConfigReader&);

/// Moves a layer of one class out of a value of that class onto the heap.
using LayerMover = std::unique_ptr<Layer> (*)(Layer&&);

/// What the registry knows of a layer class: how to make one from its config, and (for classes registered by type)
/// how to move one, which calling it on a symbolic tensor needs.
struct LayerClass {
  LayerFactory from_config = nullptr;
  LayerMover move = nullptr;
  const std::type_info* type = nullptr;
  std::unique_ptr<Layer> operator()(ConfigReader& reader) const { return from_config(reader); }
  explicit operator bool() const { return from_config != nullptr; }
};

/// T's entry: T::from_config, and T's move.
template <class T>
LayerClass layer_class() {
  return {&T::from_config,
          [](Layer&& layer) -> std::unique_ptr<Layer> { return std::make_unique<T>(std::move(static_cast<T&>(layer))); },
          &typeid(T)};
}

/// Adds a layer class of the user's to the registry, as Keras's register_keras_serializable: models that use it then
/// load from JSON and saved files like models of built-in layers. `class_name` must be what the class's
/// class_name() returns; a name already registered is an error. Register before loading, not during.
void register_layer(const std::string& class_name, LayerFactory factory);
void register_layer(const std::string& class_name, LayerClass layer_class);
/// register_layer(T::registered_name, layer_class<T>()); a class registered so can also be called on symbolic
/// tensors (the Functional API).
template <class T>
void register_layer() {
  register_layer(T::registered_name, layer_class<T>());
}

/// `layer` moved onto the heap as its own class: the registered class of its class_name(), which must be its type.
std::unique_ptr<Layer> move_to_heap(Layer&& layer);

/// A layer from its Keras object {"class_name", "config"} (Keras 2, Keras 3 or TF.js). Unknown classes and unknown
/// config keys are errors listing the valid ones; `where` names the object in messages
/// ("model.json: config.layers[2]").
std::unique_ptr<Layer> layer_from_json(const nlohmann::json& object, const std::string& where);
/// {"class_name", "config"} of a layer, in the Keras-2 dialect TF.js and Keras 3 both read.
nlohmann::json layer_to_json(const Layer& layer);
/// Every registered class name.
std::vector<std::string> layer_class_names();

}  // namespace descent::nn
