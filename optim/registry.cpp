// One table from Keras class name to factory; adding an optimizer is one line here.
#include "registry.hpp"

#include "gd.hpp"
#include "sgd.hpp"

#include "../nn/config.hpp"

#include <cctype>
#include <functional>
#include <map>

namespace descent::optim {
namespace {

using Factory = std::function<std::shared_ptr<Optimizer>(ConfigReader&)>;

// Keys every Keras optimizer config carries; the features they switch on are refused unless off.
void read_common(ConfigReader& r, double& learning_rate) {
  r.read("learning_rate", learning_rate);
  r.read("lr", learning_rate);  // Keras 1 and old Keras 2 files
  for (const char* key : {"weight_decay", "clipnorm", "global_clipnorm", "clipvalue", "loss_scale_factor",
                          "gradient_accumulation_steps"}) {
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
  check(decay == 0.0, r.path("decay"), ": learning-rate decay is not supported; received ", decay, ".");
  r.ignore({"name", "ema_momentum", "ema_overwrite_frequency", "jit_compile", "is_legacy_optimizer"});
}

const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> table = {
      {"SGD", [](ConfigReader& r) {
         SGDOptions o;
         read_common(r, o.learning_rate);
         r.read("momentum", o.momentum);
         r.read("nesterov", o.nesterov);
         return std::make_shared<SGD>(o);
       }},
      {"GD", [](ConfigReader& r) {
         GDOptions o;
         read_common(r, o.learning_rate);
         r.read("tolerance", o.tolerance);
         r.read("momentum", o.momentum);
         r.read("nesterov", o.nesterov);
         return std::make_shared<GD>(o);
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
