// Identifier<Base>: a registered name ("sgd") or an object (optim::SGD{...}), as Keras's get(identifier) accepts.
#pragma once

#include <concepts>
#include <memory>
#include <string>
#include <utility>

namespace descent {

/// Lets one parameter take either a Keras name or a configured object:
/// model.compile("binary_crossentropy", optim::SGD({.momentum = 0.9}), {"accuracy"}).
/// The receiver resolves a name through its module's registry.
template <class Base>
class Identifier {
 public:
  Identifier(const char* name) : name_(name) {}
  Identifier(std::string name) : name_(std::move(name)) {}
  template <std::derived_from<Base> Object>
  Identifier(Object object) : object_(std::make_shared<Object>(std::move(object))) {}
  Identifier(std::shared_ptr<Base> object) : object_(std::move(object)) {}

  bool is_name() const { return object_ == nullptr; }
  const std::string& name() const { return name_; }
  const std::shared_ptr<Base>& object() const { return object_; }

 private:
  std::string name_;
  std::shared_ptr<Base> object_;
};

}  // namespace descent
