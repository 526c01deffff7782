// The optimizer family of the registry; adding an optimizer is one line here.
#include "registry.hpp"

#include "adadelta.hpp"
#include "adagrad.hpp"
#include "adam.hpp"
#include "adamax.hpp"
#include "adamw.hpp"
#include "gd.hpp"
#include "nadam.hpp"
#include "rmsprop.hpp"
#include "sgd.hpp"

#include <descent/core/registry.hpp>

#include <cctype>

namespace descent::optim {
namespace {

using OptimizerRegistry = Registry<OptimizerFactory>;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Keras's string names are the lowercase class names ("rmsprop"); lookups ignore case, as keras.optimizers.get.
OptimizerRegistry::Entry entry(const std::string& class_name, OptimizerFactory make) {
  return {class_name, {lower(class_name)}, std::move(make)};
}

template <class T>
OptimizerRegistry::Entry entry() {
  return entry(T().class_name(), &optimizer_from_config<T>);
}

OptimizerRegistry& registry() {
  static OptimizerRegistry table("optimizer", "optimizers", NameMatch::ignore_case,
                                 {entry<Adadelta>(), entry<Adagrad>(), entry<Adam>(), entry<Adamax>(), entry<AdamW>(),
                                  entry<GD>(), entry<Nadam>(), entry<RMSprop>(), entry<SGD>()});
  return table;
}

}  // namespace

void read_common_options(ConfigReader& r, LearningRate& learning_rate, double& weight_decay, double& clipnorm,
                         double& clipvalue, double& global_clipnorm) {
  for (const char* key : {"learning_rate", "lr"})  // "lr": Keras 1 and old Keras 2 files
    if (const json* v = r.find(key)) learning_rate = LearningRate::from_json(*v, r.path(key));
  r.read("weight_decay", weight_decay);
  r.read("clipnorm", clipnorm);
  r.read("clipvalue", clipvalue);
  r.read("global_clipnorm", global_clipnorm);
  for (const char* key : {"loss_scale_factor", "gradient_accumulation_steps"}) {
    if (const json* v = r.find(key)) {
      bool off = v->is_number() && v->get<double>() == 0.0;
      check(off, r.path(key), ": ", key, " is not supported yet; received ", describe(*v), ".");
    }
  }
  if (const json* ema = r.find("use_ema"))
    check(ema->is_boolean() && !ema->get<bool>(), r.path("use_ema"), ": EMA is not supported; received ",
          describe(*ema), ".");
  double decay = 0.0;
  r.read("decay", decay);
  check(decay == 0.0, r.path("decay"), ": learning-rate decay is not supported; received ", decay,
        ". Use a learning-rate schedule such as InverseTimeDecay instead.");
  r.ignore({"name", "ema_momentum", "ema_overwrite_frequency", "jit_compile", "is_legacy_optimizer"});
}

void register_optimizer(const std::string& class_name, OptimizerFactory factory) {
  registry().add(entry(class_name, std::move(factory)));
}

std::shared_ptr<Optimizer> get(const std::string& name) { return registry().make(name, json::object(), "", name); }

std::shared_ptr<Optimizer> get(const OptimizerId& id) { return id.is_name() ? get(id.name()) : id.object(); }

std::shared_ptr<Optimizer> from_json(const json& value, const std::string& where) {
  if (value.is_string()) return registry().make(value.get<std::string>(), json::object(), where, where);
  auto [class_name, config] = split_class_and_config(value, where);
  return registry().make(class_name, config, where + ".class_name", where + ".config");
}


std::vector<std::string> class_names() { return registry().class_names(); }

}  // namespace descent::optim
