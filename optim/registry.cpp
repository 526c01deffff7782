// One table from Keras class name to factory; adding an optimizer is one line here.
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

#include <descent/core/config.hpp>

#include <cctype>
#include <functional>
#include <map>

namespace descent::optim {
namespace {

using Factory = std::function<std::shared_ptr<Optimizer>(ConfigReader&)>;

// Keys every Keras optimizer config carries: the learning rate (a number or a schedule) and the common options into
// `o`; the features Descent lacks (EMA, loss scaling, gradient accumulation, Keras 2's time decay) are refused unless
// off.
template <class Options>
void read_common(ConfigReader& r, Options& o) {
  for (const char* key : {"learning_rate", "lr"})  // "lr": Keras 1 and old Keras 2 files
    if (const json* v = r.find(key)) o.learning_rate = LearningRate::from_json(*v, r.path(key));
  r.read("weight_decay", o.weight_decay);
  r.read("clipnorm", o.clipnorm);
  r.read("clipvalue", o.clipvalue);
  r.read("global_clipnorm", o.global_clipnorm);
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

const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> table = {
      {"SGD", [](ConfigReader& r) {
         SGDOptions o;
         read_common(r, o);
         r.read("momentum", o.momentum);
         r.read("nesterov", o.nesterov);
         return std::make_shared<SGD>(o);
       }},
      {"GD", [](ConfigReader& r) {
         GDOptions o;
         read_common(r, o);
         r.read("tolerance", o.tolerance);
         r.read("momentum", o.momentum);
         r.read("nesterov", o.nesterov);
         return std::make_shared<GD>(o);
       }},
      {"Adam", [](ConfigReader& r) {
         AdamOptions o;
         read_common(r, o);
         r.read("beta_1", o.beta_1);
         r.read("beta_2", o.beta_2);
         r.read("epsilon", o.epsilon);
         r.read("amsgrad", o.amsgrad);
         return std::make_shared<Adam>(o);
       }},
      {"AdamW", [](ConfigReader& r) {
         AdamWOptions o;
         read_common(r, o);
         r.read("beta_1", o.beta_1);
         r.read("beta_2", o.beta_2);
         r.read("epsilon", o.epsilon);
         r.read("amsgrad", o.amsgrad);
         return std::make_shared<AdamW>(o);
       }},
      {"Nadam", [](ConfigReader& r) {
         NadamOptions o;
         read_common(r, o);
         r.read("beta_1", o.beta_1);
         r.read("beta_2", o.beta_2);
         r.read("epsilon", o.epsilon);
         return std::make_shared<Nadam>(o);
       }},
      {"Adamax", [](ConfigReader& r) {
         AdamaxOptions o;
         read_common(r, o);
         r.read("beta_1", o.beta_1);
         r.read("beta_2", o.beta_2);
         r.read("epsilon", o.epsilon);
         return std::make_shared<Adamax>(o);
       }},
      {"RMSprop", [](ConfigReader& r) {
         RMSpropOptions o;
         read_common(r, o);
         r.read("rho", o.rho);
         r.read("momentum", o.momentum);
         r.read("epsilon", o.epsilon);
         r.read("centered", o.centered);
         return std::make_shared<RMSprop>(o);
       }},
      {"Adagrad", [](ConfigReader& r) {
         AdagradOptions o;
         read_common(r, o);
         r.read("initial_accumulator_value", o.initial_accumulator_value);
         r.read("epsilon", o.epsilon);
         return std::make_shared<Adagrad>(o);
       }},
      {"Adadelta", [](ConfigReader& r) {
         AdadeltaOptions o;
         read_common(r, o);
         r.read("rho", o.rho);
         r.read("epsilon", o.epsilon);
         return std::make_shared<Adadelta>(o);
       }},
  };
  return table;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Class names match exactly; string names ("sgd") case-insensitively, as Keras's get().
const Factory* lookup(const std::string& name) {
  for (const auto& [cls, make] : registry())
    if (cls == name || lower(cls) == lower(name)) return &make;
  return nullptr;
}

std::string valid_names() {
  std::string valid;
  for (const auto& [cls, make] : registry()) valid += (valid.empty() ? "" : ", ") + lower(cls);
  return valid;
}

}  // namespace

std::shared_ptr<Optimizer> get(const std::string& name) {
  const Factory* make = lookup(name);
  check(make != nullptr, "Unknown optimizer \"", name, "\". Valid optimizers: ", valid_names(), ".");
  ConfigReader reader(json::object(), name);
  return (*make)(reader);
}

std::shared_ptr<Optimizer> get(const OptimizerId& id) { return id.is_name() ? get(id.name()) : id.object(); }

std::shared_ptr<Optimizer> from_json(const json& value, const std::string& where) {
  if (value.is_string()) {
    check(lookup(value.get<std::string>()) != nullptr, where, ": unknown optimizer ", describe(value),
          ". Valid optimizers: ", valid_names(), ".");
    return get(value.get<std::string>());
  }
  auto [class_name, config] = split_class_and_config(value, where);
  const Factory* make = lookup(class_name);
  check(make != nullptr, where, ".class_name: unknown optimizer \"", class_name, "\". Valid optimizers: ",
        valid_names(), ".");
  ConfigReader reader(config, where + ".config");
  auto optimizer = (*make)(reader);
  reader.finish();
  return optimizer;
}

json to_json(const Optimizer& optimizer) {
  return {{"class_name", optimizer.class_name()}, {"config", optimizer.config()}};
}

std::vector<std::string> class_names() {
  std::vector<std::string> names;
  for (const auto& [cls, make] : registry()) names.push_back(cls);
  return names;
}

}  // namespace descent::optim
