// The loss family of the registry; adding a loss is one line here.
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

#include <descent/core/registry.hpp>

namespace descent::losses {
namespace {

using LossRegistry = Registry<LossFactory>;

// The Keras function name, then Keras's other string names.
template <class T>
LossRegistry::Entry entry(std::vector<std::string> more_aliases = {}) {
  std::vector<std::string> aliases = {T().name()};
  aliases.insert(aliases.end(), more_aliases.begin(), more_aliases.end());
  return {T().class_name(), std::move(aliases), &loss_from_config<T>};
}

// Keras's ignore_class is not supported: refused unless null, rather than read and dropped.
std::shared_ptr<Loss> sparse_categorical_crossentropy(ConfigReader& r) {
  if (const json* ignore = r.find("ignore_class"))
    fail(str(r.path("ignore_class"), ": ignore_class is not supported; received ", describe(*ignore), "."));
  return loss_from_config<SparseCategoricalCrossentropy>(r);
}

LossRegistry& registry() {
  static LossRegistry table("loss", "losses", NameMatch::exact, {
      entry<BinaryCrossentropy>(),
      entry<CategoricalCrossentropy>(),
      entry<CategoricalHinge>(),
      entry<CosineSimilarity>(),
      entry<Hinge>(),
      entry<Huber>(),
      entry<KLDivergence>({"kld", "KLD", "kullback_leibler_divergence"}),
      entry<LogCosh>({"logcosh"}),
      entry<MeanAbsoluteError>({"mae", "MAE"}),
      entry<MeanAbsolutePercentageError>({"mape", "MAPE"}),
      entry<MeanSquaredError>({"mse", "MSE"}),
      entry<MeanSquaredLogarithmicError>({"msle", "MSLE"}),
      entry<Poisson>(),
      {"SparseCategoricalCrossentropy", {"sparse_categorical_crossentropy"}, &sparse_categorical_crossentropy},
      entry<SquaredHinge>(),
  });
  return table;
}

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

std::shared_ptr<Loss> make(const LossRegistry::Entry& entry, const json& config, const std::string& where) {
  ConfigReader reader(config, where);
  read_common(reader);
  auto loss = entry.make(reader);
  reader.finish();
  return loss;
}

}  // namespace

void register_loss(const std::string& class_name, std::vector<std::string> aliases, LossFactory factory) {
  registry().add({class_name, std::move(aliases), std::move(factory)});
}

std::shared_ptr<Loss> get(const std::string& name) { return make(registry().at(name), json::object(), name); }

std::shared_ptr<Loss> get(const LossId& id) { return id.is_name() ? get(id.name()) : id.object(); }

std::shared_ptr<Loss> from_json(const json& value, const std::string& where) {
  if (value.is_string()) return make(registry().at(value.get<std::string>(), where), json::object(), where);
  auto [class_name, config] = split_class_and_config(value, where);
  return make(registry().at(class_name, where + ".class_name"), config, where + ".config");
}


std::vector<std::string> class_names() { return registry().class_names(); }

}  // namespace descent::losses
