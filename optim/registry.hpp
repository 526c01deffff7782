// The optimizer registry: Keras class names and string names ("sgd", "adam", "rmsprop", ...) to optimizers.
#pragma once

#include "optimizer.hpp"

#include <descent/core/identifier.hpp>

#include <memory>
#include <string>
#include <vector>

namespace descent::optim {

/// An optimizer name ("sgd", "adam", ...) or object.
using OptimizerId = Identifier<Optimizer>;

/// By name with default options, as keras.optimizers.get; throws listing the valid names.
std::shared_ptr<Optimizer> get(const std::string& name);
/// The same for a string literal, which would otherwise convert to both std::string and OptimizerId.
inline std::shared_ptr<Optimizer> get(const char* name) { return get(std::string(name)); }
/// The identifier's object, or a new optimizer registered under its name.
std::shared_ptr<Optimizer> get(const OptimizerId& id);
/// From a name string or {"class_name", "config"}; `where` names the JSON place in messages.
std::shared_ptr<Optimizer> from_json(const nlohmann::json& value, const std::string& where);
/// {"class_name", "config"} of an optimizer.
nlohmann::json to_json(const Optimizer& optimizer);
/// Every registered class name.
std::vector<std::string> class_names();

}  // namespace descent::optim
