// The loss registry: Keras class names and string names ("binary_crossentropy", "mse") to losses.
#pragma once

#include "loss.hpp"

#include <descent/core/identifier.hpp>

#include <memory>
#include <string>
#include <vector>

namespace descent::losses {

/// A loss name ("binary_crossentropy", "mse", "BinaryCrossentropy") or object.
using LossId = Identifier<Loss>;

/// By name, as keras.losses.get; throws listing the valid names.
std::shared_ptr<Loss> get(const std::string& name);
/// The identifier's object, or the loss registered under its name.
std::shared_ptr<Loss> get(const LossId& id);
/// A string literal is a name: without this overload get("mse") would be ambiguous between the two above.
inline std::shared_ptr<Loss> get(const char* name) { return get(std::string(name)); }
/// From a name string or {"class_name", "config"}; `where` names the JSON place in messages.
std::shared_ptr<Loss> from_json(const nlohmann::json& value, const std::string& where);
/// {"class_name", "config"} of a loss.
nlohmann::json to_json(const Loss& loss);
/// Every registered class name, for round-trip tests.
std::vector<std::string> class_names();

}  // namespace descent::losses
