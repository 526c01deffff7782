// Reading the three Keras config dialects into a Sequential, and writing the Keras-2 dialect back (docs/FORMATS.md a, c).
#include "model_json.hpp"

#include "detail/config_reading.hpp"
#include "detail/functional_config.hpp"

#include <descent/core/config.hpp>
#include <descent/core/files.hpp>
#include <descent/nn/registry.hpp>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace descent::nn {

namespace detail {

// "<source>: <json path>", or the source alone at the top level.
std::string at(const std::string& source, const std::string& path) {
  return path.empty() ? source : source + ": " + path;
}

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

// The top level of a file is not a Keras object, so it gets its own check of allowed keys.
void check_keys(const json& object, std::initializer_list<const char*> allowed, const std::string& where) {
  std::set<std::string> known(allowed.begin(), allowed.end());
  for (const auto& [key, value] : object.items()) {
    if (known.count(key)) continue;
    std::string valid;
    for (const auto& k : known) valid += (valid.empty() ? "" : ", ") + k;
    fail(str(where, ": unknown key \"", key, "\". Valid keys: ", valid, "."));
  }
}

// The sample shape of a Keras shape: [null, 28, 28, 1] with a batch entry (which may be null or a number), [28, 28, 1]
// without. Every other entry must be a positive size: Descent has no variable-length axes.
Shape shape_of(const json& shape, bool with_batch, const std::string& where) {
  check(shape.is_array() && shape.size() > (with_batch ? 1u : 0u), where, ": expected a shape such as ",
        with_batch ? "[null, 8] or [null, 28, 28, 1]" : "[8] or [28, 28, 1]", "; received ", describe(shape), ".");
  if (with_batch)
    check(shape[0].is_null() || shape[0].is_number_integer(), where, ": expected the batch size (null or a number) ",
          "first; received ", describe(shape[0]), ".");
  std::vector<Index> dims;
  for (std::size_t i = with_batch ? 1 : 0; i < shape.size(); ++i) {
    const json& d = shape[i];
    check(d.is_number_integer() && d.get<long long>() > 0 && d.get<long long>() <= (1LL << 31), where, "[", i,
          "]: expected a positive size; received ", describe(d), " in ", shape.dump(), ".");
    dims.push_back(static_cast<Index>(d.get<long long>()));
  }
  return Shape(std::move(dims));
}

// The sample shape from an InputLayer config (a.5 rule 3), validating its keys.
Shape read_input_layer(const json& object, const std::string& where) {
  auto [class_name, config] = split_class_and_config(object, where);
  ConfigReader outer(object, where);
  outer.ignore({"class_name", "config", "module", "registered_name", "build_config", "name", "inbound_nodes"});
  outer.finish();
  ConfigReader r(config, where + ".config");
  Shape shape;
  if (const json* s = r.find("batch_shape")) shape = shape_of(*s, true, r.path("batch_shape"));
  else if (const json* s = r.find("batch_input_shape")) shape = shape_of(*s, true, r.path("batch_input_shape"));
  else if (const json* s = r.find("input_shape")) shape = shape_of(*s, false, r.path("input_shape"));
  else fail(str(r.where(), ": an InputLayer needs batch_shape, batch_input_shape or input_shape."));
  for (const char* flag : {"sparse", "ragged", "optional"}) {
    bool on = false;
    r.read(flag, on);
    check(!on, r.path(flag), ": ", flag, " inputs are not supported. Expected false; received true.");
  }
  r.ignore({"dtype", "name", "batch_size", "input_tensor"});
  r.finish();
  return shape;
}


// Where TF.js reads a layer's option under its Keras 2 name: LeakyReLU's negative_slope is TF.js's alpha, which it
// would otherwise leave at its default 0.3 without a word.
void tfjs_spelling(json& entry) {
  json& config = entry["config"];
  if (entry["class_name"].get_ref<const std::string&>() == "LeakyReLU" && config.contains("negative_slope")) {
    config["alpha"] = config["negative_slope"];
    config.erase("negative_slope");
  }
}

}  // namespace detail

namespace {

using detail::at;
using detail::check_keys;
using detail::join;
using detail::read_input_layer;
using detail::shape_of;

// The sample shape a first layer declares through batch_input_shape / input_shape (Dense's input_dim it reads
// itself), or its Keras 3 build_config; empty when it declares none.
Shape first_layer_shape(const json& object, const std::string& where) {
  if (!object.is_object()) return {};
  if (auto c = object.find("config"); c != object.end() && c->is_object()) {
    if (auto s = c->find("batch_input_shape"); s != c->end() && !s->is_null())
      return shape_of(*s, true, where + ".config.batch_input_shape");
    if (auto s = c->find("input_shape"); s != c->end() && !s->is_null())
      return shape_of(*s, false, where + ".config.input_shape");
  }
  if (auto b = object.find("build_config"); b != object.end() && b->is_object())
    if (auto s = b->find("input_shape"); s != b->end() && !s->is_null())
      return shape_of(*s, true, where + ".build_config.input_shape");
  return {};
}

// {"class_name": "Sequential", "config": ...}: builds the model. `path` is the JSON path of the object.
Sequential read_sequential(const json& object, const std::string& source, const std::string& path) {
  const std::string where = at(source, path);
  auto [class_name, config] = split_class_and_config(object, where);
  check(class_name == "Sequential", where, ".class_name: expected \"Sequential\", \"Functional\" or \"Model\"; ",
        "received \"", class_name, "\".");
  Shape input_shape;  // of one sample; empty until a config key gives it
  std::string name = "sequential";
  json layers_value = config;  // a copy: the reader's values die with it
  const json* layers = &layers_value;
  const std::string config_path = join(path, "config");
  std::string layers_path = config_path;
  bool model_trainable = true;  // Keras: a frozen model freezes every layer
  if (config.is_object()) {
    ConfigReader r(config, at(source, config_path));
    r.read("name", name);
    const json* found = r.find("layers");
    check(found != nullptr, r.path("layers"), ": missing. Expected the list of layers.");
    layers_value = *found;
    layers_path = join(config_path, "layers");
    if (const json* s = r.find("build_input_shape")) input_shape = shape_of(*s, true, r.path("build_input_shape"));
    r.read("trainable", model_trainable);
    r.ignore({"dtype"});
    r.finish();
  }
  check(layers->is_array(), at(source, layers_path), ": expected a list of layers; received ", describe(*layers), ".");
  check(!layers->empty(), at(source, layers_path), ": expected at least one layer; received none.");
  if (const auto b = object.find("build_config"); b != object.end() && b->is_object())
    if (auto s = b->find("input_shape"); s != b->end() && !s->is_null() && input_shape.empty())
      input_shape = shape_of(*s, true, at(source, join(path, "build_config.input_shape")));

  Sequential model({.name = name});
  std::size_t first = 0;
  auto layer_where = [&](std::size_t i) { return at(source, layers_path + "[" + std::to_string(i) + "]"); };
  const json& head = (*layers)[0];
  if (head.is_object() && head.contains("class_name") && head["class_name"] == "InputLayer") {
    input_shape = read_input_layer(head, layer_where(0));
    first = 1;
    check(layers->size() > 1, at(source, layers_path), ": expected a layer after the InputLayer; received none.");
  }
  if (Shape s = first_layer_shape((*layers)[first], layer_where(first)); !s.empty() && first == 0) input_shape = s;
  if (!input_shape.empty()) model.add(Input(input_shape));
  for (std::size_t i = first; i < layers->size(); ++i) {
    auto layer = layer_from_json((*layers)[i], layer_where(i));
    if (!model_trainable) layer->set_trainable(false);
    model.add(std::move(layer));
  }
  if (!model.input_shape().empty()) model.build(model.input_shape());
  return model;
}

// "meanSquaredError" -> "mean_squared_error": TF.js API spellings of Keras names.
std::string snake_case(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (!out.empty()) out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

bool is_lower_camel(const std::string& s) {
  if (s.empty() || !std::islower(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (std::isupper(static_cast<unsigned char>(c))) return true;
  return false;
}

// TF.js optimizer classes and camelCase keys to Keras's (docs/FORMATS.md c.1, c.4). Keras files pass through unchanged:
// Keras never writes camelCase keys, and the TF.js spellings "Momentum" and "RMSProp" are not Keras class names.
json keras_optimizer(const json& value, const std::string& where) {
  if (!value.is_object() || !value.contains("class_name") || !value["class_name"].is_string()) return value;
  json result = value;
  std::string cls = value["class_name"].get<std::string>();
  if (cls.rfind("Custom>", 0) == 0) cls = cls.substr(7);  // Keras 2.11+ writes "Custom>Adam" into H5 files
  json config = value.contains("config") ? value["config"] : json::object();
  check(config.is_object(), where, ".config: expected an object; received ", describe(config), ".");
  json keras = json::object();
  for (const auto& [key, v] : config.items()) {
    std::string k = key;
    if (key == "useNesterov") k = "nesterov";
    else if (key == "beta1") k = "beta_1";
    else if (key == "beta2") k = "beta_2";
    else if (key == "decay" && cls == "RMSProp") k = "rho";  // TF.js's RMSProp decay is Keras's rho
    else if (is_lower_camel(key)) k = snake_case(key);
    keras[k] = v;
  }
  if (cls == "Momentum") cls = "SGD";
  if (cls == "RMSProp") cls = "RMSprop";
  result["class_name"] = cls;
  result["config"] = keras;
  return result;
}

std::shared_ptr<losses::Loss> read_loss(const json& value, const std::string& where) {
  if (value.is_array()) {
    check(value.size() == 1, where, ": one loss per model output. Expected 1; received ", value.size(), ".");
    return read_loss(value[0], where + "[0]");
  }
  if (value.is_string() && is_lower_camel(value.get<std::string>()))
    return losses::from_json(snake_case(value.get<std::string>()), where);
  return losses::from_json(value, where);
}

// The names training_config lists.
json metric_names(const std::vector<metrics::MetricId>& ids) {
  json names = json::array();
  for (const auto& id : ids) names.push_back(id.is_name() ? id.name() : id.object()->name());
  return names;
}

// Metric names from ["accuracy"], [["accuracy"]] (Keras 2.12) or serialized metric objects (their config name).
void read_metrics(const json& value, const std::string& where, std::vector<metrics::MetricId>& out) {
  if (value.is_null()) return;
  if (value.is_string()) {
    out.emplace_back(value.get<std::string>());
    return;
  }
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i)
      read_metrics(value[i], where + "[" + std::to_string(i) + "]", out);
    return;
  }
  if (value.is_object() && value.contains("class_name")) {
    auto [cls, config] = split_class_and_config(value, where);
    check(config.is_object() && config.contains("name") && config["name"].is_string(), where,
          ".config.name: expected the metric's name; received ",
          config.is_object() && config.contains("name") ? describe(config["name"]) : std::string("nothing"), ".");
    out.emplace_back(config["name"].get<std::string>());
    return;
  }
  if (value.is_object()) {  // by output name, as TF.js writes it ({} when there are none)
    for (const auto& [output, metrics] : value.items()) read_metrics(metrics, where + "." + output, out);
    return;
  }
  fail(str(where, ": expected a metric name, a list of names or a metric object; received ", describe(value), "."));
}

json loss_json(const losses::Loss& loss) {
  if (loss.config() == losses::get(loss.name())->config()) return loss.name();
  return serialize(loss);
}

std::string camel_case(const std::string& key) {
  if (key == "beta_1") return "beta1";
  if (key == "beta_2") return "beta2";
  std::string out;
  bool upper = false;
  for (char c : key) {
    if (c == '_') {
      upper = true;
    } else {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return out;
}

// TF.js's spelling of an optimizer: SGD with momentum is "Momentum", keys are camelCase, RMSprop's rho is decay.
json tfjs_optimizer(const optim::Optimizer& optimizer) {
  std::string cls = optimizer.class_name();
  json keras = optimizer.config();
  json config = json::object();
  if (cls == "SGD" && keras.value("momentum", 0.0) != 0.0) {
    cls = "Momentum";
    config = {{"learningRate", keras["learning_rate"]},
              {"momentum", keras["momentum"]},
              {"useNesterov", keras.value("nesterov", false)}};
    return {{"class_name", cls}, {"config", config}};
  }
  for (const auto& [key, v] : keras.items()) {
    if (key == "name" || v.is_null()) continue;
    if (cls == "SGD" && (key == "momentum" || key == "nesterov")) continue;
    if (cls == "RMSprop" && key == "rho") config["decay"] = v;
    else config[camel_case(key)] = v;
  }
  if (cls == "RMSprop") cls = "RMSProp";
  return {{"class_name", cls}, {"config", config}};
}

}  // namespace

Model model_from_json(const std::string& text) {
  return model_from_config(parse_json(text, "model_from_json"), "model_from_json");
}

Model model_from_json_file(const std::string& path) {
  return model_from_config(parse_json(read_regular_file(path, kMaxJsonFileBytes, "model_from_json_file"), path), path);
}

Model model_from_config(const json& root, const std::string& source, bool compile) {
  check(root.is_object(), source, ": expected a JSON object at the top level; received ", describe(root), ".");
  const json* topology = &root;
  std::string path;
  const json* training = nullptr;
  std::string training_path;
  auto take_training = [&](const json& parent, const char* key, const std::string& parent_path) {
    if (training != nullptr) return;
    if (auto it = parent.find(key); it != parent.end() && !it->is_null()) {
      training = &*it;
      training_path = join(parent_path, key);
    }
  };

  if (root.contains("modelTopology")) {  // TF.js model.json (docs/FORMATS.md b)
    check_keys(root, {"modelTopology", "trainingConfig", "weightsManifest", "format", "generatedBy", "convertedBy",
                      "userDefinedMetadata", "signature", "modelInitializer", "initializerSignature"},
               source);
    if (auto f = root.find("format"); f != root.end() && !f->is_null())
      check(*f == "layers-model", source, ": format: only layers models are supported. Expected \"layers-model\"; ",
            "received ", describe(*f), ".");
    topology = &root["modelTopology"];
    path = "modelTopology";
    take_training(root, "trainingConfig", "");
  }
  check(topology->is_object(), at(source, path), ": expected an object; received ", describe(*topology), ".");
  if (topology->contains("model_config")) {  // the tfjs-converter's wrapper (a.5 rule 1)
    check_keys(*topology, {"keras_version", "backend", "model_config", "training_config"}, at(source, path));
    take_training(*topology, "training_config", path);
    path = join(path, "model_config");
    topology = &(*topology)["model_config"];
  }
  check(topology->is_object(), at(source, path), ": expected an object; received ", describe(*topology), ".");
  check_keys(*topology, {"class_name", "config", "module", "registered_name", "build_config", "compile_config",
                         "training_config", "keras_version", "backend"},
             at(source, path));
  take_training(*topology, "compile_config", path);
  take_training(*topology, "training_config", path);

  const json* class_name = topology->contains("class_name") ? &(*topology)["class_name"] : nullptr;
  const bool functional = class_name && (*class_name == "Functional" || *class_name == "Model");
  Model model = functional ? detail::read_functional(*topology, source, path) : read_sequential(*topology, source, path);
  if (training && compile) compile_from_json(model, *training, at(source, training_path));
  return model;
}

void compile_from_json(Model& model, const json& config, const std::string& where) {
  ConfigReader r(config, where);
  const json* loss = r.find("loss");
  check(loss != nullptr, r.path("loss"), ": missing. Expected a loss name or object.");
  const json* optimizer = r.find("optimizer_config");
  std::string optimizer_path = r.path("optimizer_config");
  if (!optimizer) {
    optimizer = r.find("optimizer");
    optimizer_path = r.path("optimizer");
  }
  check(optimizer != nullptr, r.path("optimizer"), ": missing. Expected an optimizer name or object.");
  std::vector<metrics::MetricId> metric_ids, weighted_metric_ids;
  if (const json* m = r.find("metrics")) read_metrics(*m, r.path("metrics"), metric_ids);
  if (const json* m = r.find("weighted_metrics")) read_metrics(*m, r.path("weighted_metrics"), weighted_metric_ids);
  for (const char* key : {"loss_weights", "sample_weight_mode"}) {
    if (const json* v = r.find(key))
      check((v->is_array() || v->is_object()) && v->empty(), r.path(key), ": ", key,
            " are not supported. Expected null; received ", describe(*v), ".");
  }
  r.ignore({"run_eagerly", "steps_per_execution", "jit_compile", "auto_scale_loss"});
  r.finish();
  auto the_loss = read_loss(*loss, r.path("loss"));
  auto the_optimizer = optim::from_json(keras_optimizer(*optimizer, optimizer_path), optimizer_path);
  try {
    model.compile(losses::LossId(the_loss), optim::OptimizerId(the_optimizer), metric_ids, weighted_metric_ids);
  } catch (const Error& e) {
    fail(str(where, ": ", e.what()));
  }
}


json model_topology(const Model& model, Dialect dialect) {
  if (model.class_name() == "Functional") return detail::functional_topology(model, dialect);
  json layers = json::array();
  json batch_shape = json::array({nullptr});  // Keras's batch_input_shape: (None, *sample_shape)
  for (Index d : model.input_shape().dims()) batch_shape.push_back(d);
  for (std::size_t i = 0; i < model.size(); ++i) {
    json entry = layer_to_json(model.layer(i));
    if (dialect == Dialect::tfjs) detail::tfjs_spelling(entry);
    if (i == 0 && !model.input_shape().empty()) {
      // Keras 2.4+: an explicit InputLayer, and the first layer repeats the shape.
      layers.push_back({{"class_name", "InputLayer"},
                        {"config",
                         {{"batch_input_shape", batch_shape},
                          {"dtype", "float32"},
                          {"sparse", false},
                          {"ragged", false},
                          {"name", model.layer(0).name() + "_input"}}}});
      entry["config"]["batch_input_shape"] = batch_shape;
    }
    layers.push_back(std::move(entry));
  }
  return {{"class_name", "Sequential"},
          {"config", {{"name", model.name()}, {"layers", std::move(layers)}}},
          {"keras_version", "descent 0.1.0"},
          {"backend", "descent"}};
}

json training_config(Model& model, Dialect dialect) {
  const optim::Optimizer& optimizer = model.optimizer();
  if (dialect == Dialect::tfjs)
    return {{"loss", loss_json(model.loss())},
            {"metrics", metric_names(model.metric_ids())},
            {"optimizer_config", tfjs_optimizer(optimizer)}};
  const auto& weighted = model.weighted_metric_ids();
  return {{"loss", loss_json(model.loss())},
          {"metrics", metric_names(model.metric_ids())},
          {"weighted_metrics", weighted.empty() ? json(nullptr) : metric_names(weighted)},
          {"loss_weights", nullptr},
          {"optimizer_config", serialize(optimizer)}};
}

std::string Model::to_json() const {
  json out = model_topology(*this);
  if (compiled()) out["training_config"] = training_config(const_cast<Model&>(*this), Dialect::keras);
  return out.dump();
}

}  // namespace descent::nn
