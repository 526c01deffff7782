// The loss registry: Keras class names and string names ("binary_crossentropy", "mse") to losses.
#pragma once

#include "loss.hpp"

#include <descent/core/config.hpp>
#include <descent/core/identifier.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace descent::losses {

/// A loss name ("binary_crossentropy", "mse", "BinaryCrossentropy") or object.
using LossId = Identifier<Loss>;

/// Makes a loss from the config keys its class reads; the registry reads the keys every loss has (name, reduction,
/// axis) and finishes the reader afterwards, so an unknown key is still an error.
using LossFactory = std::function<std::shared_ptr<Loss>(ConfigReader&)>;

/// A loss of class T from its config: T's options struct (what T::options() returns, if T has one) lists its keys
/// in a static `fields`.
template <class T>
std::shared_ptr<Loss> loss_from_config(ConfigReader& reader) {
  if constexpr (requires(const T& loss) { loss.options(); }) {
    std::remove_cvref_t<decltype(std::declval<const T&>().options())> o;
    read_fields(reader, o);
    return std::make_shared<T>(o);
  } else {
    return std::make_shared<T>();
  }
}

/// Adds a loss class of the user's, as Keras's register_keras_serializable: compile configs and saved models naming
/// it then load. `class_name` must be what the class's class_name() returns; `aliases` are its string names (Keras's
/// function name first, which should be what name() returns). A name already registered is an error.
void register_loss(const std::string& class_name, std::vector<std::string> aliases, LossFactory factory);
/// register_loss(T().class_name(), {T().name()}, loss_from_config<T>).
template <class T>
void register_loss() {
  register_loss(T().class_name(), {T().name()}, &loss_from_config<T>);
}

/// By name, as keras.losses.get; throws listing the valid names.
std::shared_ptr<Loss> get(const std::string& name);
/// The identifier's object, or the loss registered under its name.
std::shared_ptr<Loss> get(const LossId& id);
/// A string literal is a name: without this overload get("mse") would be ambiguous between the two above.
inline std::shared_ptr<Loss> get(const char* name) { return get(std::string(name)); }
/// From a name string or {"class_name", "config"}; `where` names the JSON place in messages.
std::shared_ptr<Loss> from_json(const nlohmann::json& value, const std::string& where);
/// Every registered class name, for round-trip tests.
std::vector<std::string> class_names();

}  // namespace descent::losses
