// One table from Keras metric class name to factory; adding a metric is one line here. Losses are metrics too.
#include "registry.hpp"

#include "accuracy.hpp"
#include "auc.hpp"
#include "f_score.hpp"
#include "loss_metric.hpp"
#include "precision_recall.hpp"
#include "regression.hpp"
#include "top_k_accuracy.hpp"

#include <descent/losses/registry.hpp>
#include <descent/core/config.hpp>

#include <descent/core/registry.hpp>

#include <algorithm>

namespace descent::metrics {
namespace {

using MetricRegistry = Registry<MetricFactory>;

// Keras writes thresholds as null, a number or a list.
std::vector<double> read_thresholds(ConfigReader& r, const std::string& key) {
  std::vector<double> values;
  const json* v = r.find(key);
  if (v == nullptr) return values;
  check(v->is_number() || v->is_array(), r.path(key), ": expected a number or a list of numbers; received ",
        describe(*v), ".");
  if (v->is_number()) return {v->get<double>()};
  for (const auto& x : *v) {
    check(x.is_number(), r.path(key), ": expected a list of numbers; received an element ", describe(x), ".");
    values.push_back(x.get<double>());
  }
  return values;
}

std::optional<int> read_optional_int(ConfigReader& r, const std::string& key) {
  std::optional<int> value;
  r.read(key, value);
  return value;
}

std::shared_ptr<Metric> accuracy_for(const std::string& name, const Shapes& s) {
  if (s.outputs == 1) return std::make_shared<BinaryAccuracy>(BinaryAccuracyOptions{.name = name});
  if (s.target_columns == 1) return std::make_shared<SparseCategoricalAccuracy>(AccuracyOptions{name});
  return std::make_shared<CategoricalAccuracy>(AccuracyOptions{name});
}

MetricRegistry& registry() {
  static MetricRegistry table("metric", "metrics", NameMatch::exact, {
      {"BinaryAccuracy", {"binary_accuracy"}, [](ConfigReader& r, const std::string& name, const Shapes&) {
         BinaryAccuracyOptions o{.name = name};
         r.read("threshold", o.threshold);
         return std::make_shared<BinaryAccuracy>(o);
       }},
      {"CategoricalAccuracy", {"categorical_accuracy"}, [](ConfigReader&, const std::string& name, const Shapes&) {
         return std::make_shared<CategoricalAccuracy>(AccuracyOptions{name});
       }},
      {"SparseCategoricalAccuracy", {"sparse_categorical_accuracy"},
                                     [](ConfigReader&, const std::string& name, const Shapes&) {
         return std::make_shared<SparseCategoricalAccuracy>(AccuracyOptions{name});
       }},
      {"Precision", {"precision"}, [](ConfigReader& r, const std::string& name, const Shapes&) {
         return std::make_shared<Precision>(PrecisionOptions{.thresholds = read_thresholds(r, "thresholds"),
                                                             .top_k = read_optional_int(r, "top_k"),
                                                             .class_id = read_optional_int(r, "class_id"),
                                                             .name = name});
       }},
      {"Recall", {"recall"}, [](ConfigReader& r, const std::string& name, const Shapes&) {
         return std::make_shared<Recall>(RecallOptions{.thresholds = read_thresholds(r, "thresholds"),
                                                       .top_k = read_optional_int(r, "top_k"),
                                                       .class_id = read_optional_int(r, "class_id"),
                                                       .name = name});
       }},
      {"AUC", {"auc"}, [](ConfigReader& r, const std::string& name, const Shapes&) {
         AUCOptions o{.name = name};
         r.read("num_thresholds", o.num_thresholds);
         r.read("curve", o.curve);
         r.read("summation_method", o.summation_method);
         o.thresholds = read_thresholds(r, "thresholds");
         r.read("multi_label", o.multi_label);
         r.read("num_labels", o.num_labels);
         o.label_weights = read_thresholds(r, "label_weights");
         r.read("from_logits", o.from_logits);
         return std::make_shared<AUC>(o);
       }},
      {"FBetaScore", {"fbeta_score"}, [](ConfigReader& r, const std::string& name, const Shapes&) {
         FBetaScoreOptions o{.name = name};
         r.read("average", o.average);
         r.read("beta", o.beta);
         r.read("threshold", o.threshold);
         return std::make_shared<FBetaScore>(o);
       }},
      {"F1Score", {"f1_score"}, [](ConfigReader& r, const std::string& name, const Shapes& s) {
         F1ScoreOptions o{.name = name};
         r.read("average", o.average);
         r.read("threshold", o.threshold);
         // Keras logs one score per class here; Descent's logs hold one number per metric.
         check(!o.average.empty() || s.outputs == 1, "Metric \"", name, "\": F1Score with average None gives one "
               "score per class, and the model has ", s.outputs, " outputs. Use F1Score({.average = \"macro\"}) "
               "(or \"micro\", \"weighted\"), or F1Score::results() outside fit.");
         return std::make_shared<F1Score>(o);
       }},
      {"TopKCategoricalAccuracy", {"top_k_categorical_accuracy"},
                                   [](ConfigReader& r, const std::string& name, const Shapes&) {
         TopKCategoricalAccuracyOptions o{.name = name};
         r.read("k", o.k);
         return std::make_shared<TopKCategoricalAccuracy>(o);
       }},
      {"RootMeanSquaredError", {"root_mean_squared_error"}, [](ConfigReader&, const std::string& name, const Shapes&) {
         return std::make_shared<RootMeanSquaredError>(RegressionMetricOptions{name});
       }},
      {"CosineSimilarity", {"cosine_similarity"}, [](ConfigReader& r, const std::string& name, const Shapes&) {
         int axis = -1;
         r.read("axis", axis);
         check(axis == -1, r.path("axis"), ": only axis -1 is supported; received ", axis, ".");
         return std::make_shared<CosineSimilarity>(RegressionMetricOptions{name});
       }},
  });
  return table;
}

bool is_accuracy(const std::string& name) { return name == "accuracy" || name == "acc"; }

std::string valid_names() { return "accuracy, acc, " + registry().valid_names(); }

// Keras 2.12's {"class_name": "MeanMetricWrapper", "config": {"name", "dtype", "fn"}}.
std::shared_ptr<Metric> from_wrapper(const json& config, const std::string& where, const Shapes& shapes) {
  ConfigReader r(config, where);
  std::string fn, name;
  r.read("fn", fn);
  r.read("name", name);
  r.ignore({"dtype"});
  r.finish();
  check(!fn.empty(), r.path("fn"), ": expected the wrapped function's name; received nothing.");
  auto metric = get(fn, shapes);
  if (!name.empty()) metric->set_name(name);
  return metric;
}

}  // namespace

std::shared_ptr<Metric> get(const std::string& name, const Shapes& shapes) {
  if (is_accuracy(name)) return accuracy_for(name, shapes);
  if (const auto* entry = registry().find(name)) {
    ConfigReader reader(json::object(), name);
    return entry->make(reader, name, shapes);
  }
  std::shared_ptr<losses::Loss> loss;
  try {
    loss = losses::get(name);
  } catch (const Error&) {
    fail(str("Unknown metric \"", name, "\". Valid metrics: ", valid_names(), ", or any loss name (mse, mae, ...)."));
  }
  return std::make_shared<LossMetric>(loss, name);
}

std::shared_ptr<Metric> get(const char* name, const Shapes& shapes) { return get(std::string(name), shapes); }

std::shared_ptr<Metric> get(const MetricId& id, const Shapes& shapes) {
  return id.is_name() ? get(id.name(), shapes) : id.object();
}

std::shared_ptr<Metric> from_json(const json& value, const std::string& where, const Shapes& shapes) {
  if (value.is_string()) {
    const std::string name = value.get<std::string>();
    if (!is_accuracy(name) && registry().find(name) == nullptr) {
      try {
        losses::get(name);
      } catch (const Error&) {
        fail(str(where, ": unknown metric ", describe(value), ". Valid metrics: ", valid_names(),
                 ", or any loss name."));
      }
    }
    return get(name, shapes);
  }
  auto [class_name, config] = split_class_and_config(value, where);
  if (class_name == "MeanMetricWrapper") return from_wrapper(config, where + ".config", shapes);
  if (const auto* entry = registry().find(class_name)) {
    ConfigReader reader(config, where + ".config");
    std::string name = entry->aliases.front();
    reader.read("name", name);
    reader.ignore({"dtype"});  // a string or a DTypePolicy object; results are doubles whatever it says
    auto metric = entry->make(reader, name, shapes);
    reader.finish();
    return metric;
  }
  // A loss class as a metric (Keras's MeanSquaredError, Hinge, KLDivergence, ... metrics share the losses' names).
  const std::string loss_class = class_name == "LogCoshError" ? "LogCosh" : class_name;
  auto names = losses::class_names();
  check(std::find(names.begin(), names.end(), loss_class) != names.end(), where, ".class_name: unknown metric \"",
        class_name, "\". Valid metrics: ", valid_names(), ", or any loss class.");
  json loss_config = config.is_object() ? config : json::object();
  std::string name;
  if (auto it = loss_config.find("name"); it != loss_config.end() && it->is_string()) name = it->get<std::string>();
  loss_config.erase("dtype");
  auto loss = losses::from_json(json{{"class_name", loss_class}, {"config", loss_config}}, where);
  return std::make_shared<LossMetric>(loss, name.empty() ? loss->name() : name);
}


void register_metric(const std::string& class_name, std::vector<std::string> aliases, MetricFactory factory) {
  check(!aliases.empty(), "register_metric: \"", class_name, "\" needs a string name (its default metric name).");
  registry().add({class_name, std::move(aliases), std::move(factory)});
}

std::vector<std::string> names() {
  std::vector<std::string> result = {"accuracy", "acc"};
  for (const std::string& name : registry().names()) result.push_back(name);
  return result;
}

std::vector<std::string> class_names() { return registry().class_names(); }

}  // namespace descent::metrics
