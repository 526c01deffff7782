// OptimizerWith: the part of an optimizer class that is the same for every optimizer, written once (CRTP).
#pragma once

#include "optimizer.hpp"

#include <descent/core/config.hpp>

#include <string>
#include <utility>

namespace descent::optim {

/// The base of an optimizer with an options struct. It holds the options and gives the class name, the Keras config
/// (base_config plus the options' own fields) and the two update() overrides. Derived supplies
///
///   static constexpr const char* kClassName = "Adam";  // the Keras class name
///   static constexpr const char* kName = "adam";       // the `name` its Keras config carries
///   template <class T> void apply(BasicParam<T>& param, std::size_t index);  // the update rule
///
/// and, to keep apply() private, `friend OptimizerWith;`. A built-in optimizer defines apply() in its .cpp and
/// instantiates its base there (`template class OptimizerWith<Adam, AdamOptions>;`, declared extern in its header);
/// a user's optimizer can define apply() in its header instead.
template <class Derived, class Options>
class OptimizerWith : public Optimizer {
 public:
  std::string class_name() const override { return Derived::kClassName; }
  nlohmann::json config() const override { return with_fields(base_config(Derived::kName), options_); }
  const Options& options() const { return options_; }

 protected:
  /// `name` is the class name for messages: a subclass (AdamW on Adam, GD on SGD) passes its own.
  explicit OptimizerWith(Options options, const char* name = Derived::kClassName)
      : Optimizer(options.learning_rate, common_options_of(options), name), options_(std::move(options)) {}

  void update(ParamF& param, std::size_t index) override { static_cast<Derived&>(*this).apply(param, index); }
  void update(ParamD& param, std::size_t index) override { static_cast<Derived&>(*this).apply(param, index); }

  Options options_;
};

}  // namespace descent::optim
