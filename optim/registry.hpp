// The optimizer registry: Keras class names and string names ("sgd", "adam", "rmsprop", ...) to optimizers.
#pragma once

#include "optimizer.hpp"

#include <descent/core/config.hpp>
#include <descent/core/identifier.hpp>

#include <functional>
#include <memory>
#include <type_traits>
#include <string>
#include <vector>

namespace descent::optim {

/// An optimizer name ("sgd", "adam", ...) or object.
using OptimizerId = Identifier<Optimizer>;

/// Makes an optimizer from the config keys its class reads.
using OptimizerFactory = std::function<std::shared_ptr<Optimizer>(ConfigReader&)>;

/// Reads the keys every Keras optimizer config carries: the learning rate (a number or a schedule) and the
/// CommonOptions; the features Descent lacks (EMA, loss scaling, gradient accumulation, Keras 2's time decay) are
/// refused unless off, and Keras's bookkeeping keys are ignored.
void read_common_options(ConfigReader& reader, LearningRate& learning_rate, double& weight_decay, double& clipnorm,
                         double& clipvalue, double& global_clipnorm);

/// An optimizer of class T from its config: T is built from an options struct with the built-ins' shape (a
/// `learning_rate`, the CommonOptions fields, and a static `fields` list of its own keys) that T::options() returns.
template <class T>
std::shared_ptr<Optimizer> optimizer_from_config(ConfigReader& reader) {
  std::remove_cvref_t<decltype(std::declval<const T&>().options())> o;
  read_common_options(reader, o.learning_rate, o.weight_decay, o.clipnorm, o.clipvalue, o.global_clipnorm);
  read_fields(reader, o);
  return std::make_shared<T>(o);
}

/// Adds an optimizer class of the user's, as Keras's register_keras_serializable: compile configs and saved models
/// naming it then load. `class_name` must be what the class's class_name() returns; its lowercase form is its string
/// name. A name already registered is an error. Register before loading, not during.
void register_optimizer(const std::string& class_name, OptimizerFactory factory);
/// register_optimizer(T().class_name(), optimizer_from_config<T>).
template <class T>
void register_optimizer() {
  register_optimizer(T().class_name(), &optimizer_from_config<T>);
}

/// By name with default options, as keras.optimizers.get; throws listing the valid names.
std::shared_ptr<Optimizer> get(const std::string& name);
/// The same for a string literal, which would otherwise convert to both std::string and OptimizerId.
inline std::shared_ptr<Optimizer> get(const char* name) { return get(std::string(name)); }
/// The identifier's object, or a new optimizer registered under its name.
std::shared_ptr<Optimizer> get(const OptimizerId& id);
/// From a name string or {"class_name", "config"}; `where` names the JSON place in messages.
std::shared_ptr<Optimizer> from_json(const nlohmann::json& value, const std::string& where);
/// Every registered class name.
std::vector<std::string> class_names();

}  // namespace descent::optim
