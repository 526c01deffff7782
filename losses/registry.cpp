// One table from Keras class name to factory; adding a loss is one line here.
#include "registry.hpp"

#include "binary_crossentropy.hpp"
#include "categorical_crossentropy.hpp"
#include "categorical_hinge.hpp"
#include "cosine_similarity.hpp"
#include "hinge.hpp"
#include "huber.hpp"
#include "kl_divergence.hpp"
#include "log_cosh.hpp"
#include "mean_absolute_error.hpp"
#include "mean_absolute_percentage_error.hpp"
#include "mean_squared_error.hpp"
#include "mean_squared_logarithmic_error.hpp"
#include "poisson.hpp"
#include "sparse_categorical_crossentropy.hpp"
#include "squared_hinge.hpp"

#include <descent/core/config.hpp>

#include <functional>
#include <map>

namespace descent::losses {
namespace {

using Factory = std::function<std::shared_ptr<Loss>(ConfigReader&)>;

struct Entry {
  std::vector<std::string> names;  // the Keras function name first, then aliases
  Factory make;
};

// Keys every Keras loss config may carry. Only the default reduction and axis are supported.
void read_common(ConfigReader& r) {
  std::string reduction = "sum_over_batch_size";
  r.read("reduction", reduction);
  check(reduction == "sum_over_batch_size" || reduction == "auto", r.path("reduction"),
        ": only \"sum_over_batch_size\" is supported; received \"", reduction, "\".");
  int axis = -1;
  r.read("axis", axis);
  check(axis == -1, r.path("axis"), ": only axis -1 is supported; received ", axis, ".");
  r.ignore({"name", "dtype", "fn"});
}

const std::map<std::string, Entry>& registry() {
  static const std::map<std::string, Entry> table = {
      {"BinaryCrossentropy", {{"binary_crossentropy"}, [](ConfigReader& r) {
         BinaryCrossentropyOptions o;
         r.read("from_logits", o.from_logits);
         r.read("label_smoothing", o.label_smoothing);
         return std::make_shared<BinaryCrossentropy>(o);
       }}},
      {"CategoricalCrossentropy", {{"categorical_crossentropy"}, [](ConfigReader& r) {
         CategoricalCrossentropyOptions o;
         r.read("from_logits", o.from_logits);
         r.read("label_smoothing", o.label_smoothing);
         return std::make_shared<CategoricalCrossentropy>(o);
       }}},
      {"SparseCategoricalCrossentropy", {{"sparse_categorical_crossentropy"}, [](ConfigReader& r) {
         SparseCategoricalCrossentropyOptions o;
         r.read("from_logits", o.from_logits);
         if (const json* ignore = r.find("ignore_class"))
           fail(str(r.path("ignore_class"), ": ignore_class is not supported; received ", describe(*ignore), "."));
         return std::make_shared<SparseCategoricalCrossentropy>(o);
       }}},
      {"MeanSquaredError", {{"mean_squared_error", "mse", "MSE"}, [](ConfigReader&) {
         return std::make_shared<MeanSquaredError>();
       }}},
      {"MeanAbsoluteError", {{"mean_absolute_error", "mae", "MAE"}, [](ConfigReader&) {
         return std::make_shared<MeanAbsoluteError>();
       }}},
      {"Huber", {{"huber"}, [](ConfigReader& r) {
         HuberOptions o;
         r.read("delta", o.delta);
         return std::make_shared<Huber>(o);
       }}},
      {"LogCosh", {{"log_cosh", "logcosh"}, [](ConfigReader&) { return std::make_shared<LogCosh>(); }}},
      {"Hinge", {{"hinge"}, [](ConfigReader&) { return std::make_shared<Hinge>(); }}},
      {"SquaredHinge", {{"squared_hinge"}, [](ConfigReader&) { return std::make_shared<SquaredHinge>(); }}},
      {"CategoricalHinge", {{"categorical_hinge"}, [](ConfigReader&) { return std::make_shared<CategoricalHinge>(); }}},
      {"KLDivergence", {{"kl_divergence", "kld", "KLD", "kullback_leibler_divergence"}, [](ConfigReader&) {
         return std::make_shared<KLDivergence>();
       }}},
      {"Poisson", {{"poisson"}, [](ConfigReader&) { return std::make_shared<Poisson>(); }}},
      {"MeanAbsolutePercentageError", {{"mean_absolute_percentage_error", "mape", "MAPE"}, [](ConfigReader&) {
         return std::make_shared<MeanAbsolutePercentageError>();
       }}},
      {"MeanSquaredLogarithmicError", {{"mean_squared_logarithmic_error", "msle", "MSLE"}, [](ConfigReader&) {
         return std::make_shared<MeanSquaredLogarithmicError>();
       }}},
      {"CosineSimilarity", {{"cosine_similarity"}, [](ConfigReader&) { return std::make_shared<CosineSimilarity>(); }}},
  };
  return table;
}

const Entry* lookup(const std::string& name) {
  const auto& table = registry();
  if (auto it = table.find(name); it != table.end()) return &it->second;
  for (const auto& [cls, entry] : table)
    for (const auto& alias : entry.names)
      if (alias == name) return &entry;
  return nullptr;
}

std::string valid_names() {
  std::string valid;
  for (const auto& [cls, entry] : registry())
    for (const auto& alias : entry.names) valid += (valid.empty() ? "" : ", ") + alias;
  return valid;
}

std::shared_ptr<Loss> make(const Entry& entry, ConfigReader& reader) {
  read_common(reader);
  auto loss = entry.make(reader);
  reader.finish();
  return loss;
}

}  // namespace

std::shared_ptr<Loss> get(const std::string& name) {
  const Entry* entry = lookup(name);
  check(entry != nullptr, "Unknown loss \"", name, "\". Valid losses: ", valid_names(), ".");
  ConfigReader reader(json::object(), name);
  return make(*entry, reader);
}

std::shared_ptr<Loss> get(const LossId& id) { return id.is_name() ? get(id.name()) : id.object(); }

std::shared_ptr<Loss> from_json(const json& value, const std::string& where) {
  if (value.is_string()) {
    const Entry* entry = lookup(value.get<std::string>());
    check(entry != nullptr, where, ": unknown loss ", describe(value), ". Valid losses: ", valid_names(), ".");
    return get(value.get<std::string>());
  }
  auto [class_name, config] = split_class_and_config(value, where);
  const Entry* entry = lookup(class_name);
  check(entry != nullptr, where, ".class_name: unknown loss \"", class_name, "\". Valid losses: ", valid_names(), ".");
  ConfigReader reader(config, where + ".config");
  return make(*entry, reader);
}

json to_json(const Loss& loss) { return {{"class_name", loss.class_name()}, {"config", loss.config()}}; }

std::vector<std::string> class_names() {
  std::vector<std::string> names;
  for (const auto& [cls, entry] : registry()) names.push_back(cls);
  return names;
}

}  // namespace descent::losses
