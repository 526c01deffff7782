// The layer registry: Keras class names ("Dense", "Activation", ...) to layers, and layers back to JSON.
#pragma once

#include "layer.hpp"

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <vector>

namespace descent::nn {

/// A layer from its Keras object {"class_name", "config"} (Keras 2, Keras 3 or TF.js). Unknown classes and unknown
/// config keys are errors listing the valid ones; `where` names the object in messages
/// ("model.json: config.layers[2]").
std::unique_ptr<Layer> layer_from_json(const nlohmann::json& object, const std::string& where);
/// {"class_name", "config"} of a layer, in the Keras-2 dialect TF.js and Keras 3 both read.
nlohmann::json layer_to_json(const Layer& layer);
/// Every registered class name.
std::vector<std::string> layer_class_names();

}  // namespace descent::nn
