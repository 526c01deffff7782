// One table from Keras layer class name to factory; adding a layer is its own file plus one line here.
#include "registry.hpp"

#include "activation.hpp"
#include "config.hpp"
#include "dense.hpp"

#include <functional>
#include <map>

namespace descent::nn {
namespace {

using Factory = std::function<std::unique_ptr<Layer>(ConfigReader&)>;

// Keys every Keras layer config may carry. The input shape keys are read by the model reader; dtype only says the
// precision Keras computed in, and Descent computes in Scalar whatever it says.
std::string read_common(ConfigReader& r) {
  std::string name;
  r.read("name", name);
  bool trainable = true;
  r.read("trainable", trainable);
  check(trainable, r.path("trainable"), ": frozen layers are not supported yet. Expected true; received false.");
  if (const json* dtype = r.find("dtype"))
    check(dtype->is_string() || dtype->is_object(), r.path("dtype"),
          ": expected a string such as \"float32\" or a DTypePolicy object; received ", describe(*dtype), ".");
  r.ignore({"batch_input_shape", "input_shape", "batch_size", "autocast"});
  return name;
}

// A value Keras writes only when a feature Descent lacks is switched on.
void refuse_if_set(ConfigReader& r, const char* key, const char* feature) {
  if (const json* v = r.find(key)) fail(str(r.path(key), ": ", feature, " is not supported; received ", describe(*v), "."));
}

// Regularizers and constraints are kept as written (absent or null: none) until Descent applies them.
std::map<std::string, std::string> read_kept(ConfigReader& r, std::initializer_list<const char*> keys) {
  std::map<std::string, std::string> kept;
  for (const char* key : keys)
    if (const json* v = r.find(key)) {
      check(v->is_object(), r.path(key), ": expected an object {\"class_name\", \"config\"} or null; received ",
            describe(*v), ".");
      split_class_and_config(*v, r.path(key));
      kept[key] = v->dump();
    }
  return kept;
}

std::string read_activation(ConfigReader& r) {
  std::string activation = "linear";
  r.read("activation", activation);
  try {
    get_activation(activation);
  } catch (const Error& e) {
    fail(str(r.path("activation"), ": ", e.what()));
  }
  return activation;
}

InitializerId read_initializer(ConfigReader& r, const char* key, const char* fallback) {
  const json* v = r.find(key);
  if (!v) return fallback;
  return initializer_from_json(*v, r.path(key));
}

const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> table = {
      {"Dense", [](ConfigReader& r) -> std::unique_ptr<Layer> {
         long units = 0;
         r.read("units", units);
         DenseOptions o;
         o.activation = read_activation(r);
         r.read("use_bias", o.use_bias);
         o.kernel_initializer = read_initializer(r, "kernel_initializer", "glorot_uniform");
         o.bias_initializer = read_initializer(r, "bias_initializer", "zeros");
         r.read("input_dim", o.input_dim);
         o.name = read_common(r);
         refuse_if_set(r, "quantization_config", "quantization");
         refuse_if_set(r, "lora_rank", "LoRA");
         r.ignore({"lora_alpha"});
         auto kept = read_kept(r, {"kernel_regularizer", "bias_regularizer", "activity_regularizer",
                                   "kernel_constraint", "bias_constraint"});
         r.finish();  // a misspelled "unit" is reported as such, not as a missing "units"
         check(units > 0, r.path("units"), ": expected a positive integer; received ",
               r.find("units") ? std::to_string(units) : std::string("nothing"), ".");
         auto layer = std::make_unique<Dense>(units, o);
         for (auto& [key, text] : kept) layer->keep_config(key, text);
         return layer;
       }},
      {"Activation", [](ConfigReader& r) -> std::unique_ptr<Layer> {
         const bool given = r.find("activation") != nullptr;
         std::string activation = read_activation(r);
         std::string name = read_common(r);
         r.finish();
         check(given, r.path("activation"), ": missing. Expected an activation name.");
         return std::make_unique<Activation>(activation, ActivationOptions{.name = name});
       }},
  };
  return table;
}

std::string valid_names() {
  std::string valid;
  for (const auto& [cls, make] : registry()) valid += (valid.empty() ? "" : ", ") + cls;
  return valid;
}

}  // namespace

std::unique_ptr<Layer> layer_from_json(const json& object, const std::string& where) {
  auto [class_name, config] = split_class_and_config(object, where);
  ConfigReader outer(object, where);
  outer.ignore({"class_name", "config", "module", "registered_name", "build_config", "name"});
  outer.finish();
  check(class_name != "InputLayer", where, ": an InputLayer may only come first.");
  auto it = registry().find(class_name);
  check(it != registry().end(), where, ".class_name: unknown layer \"", class_name, "\". Known layers: ",
        valid_names(), ".");
  const std::string config_where = where + ".config";
  check(config.is_object(), config_where, ": expected an object; received ", describe(config), ".");
  ConfigReader reader(config, config_where);
  std::unique_ptr<Layer> layer;
  try {
    layer = it->second(reader);
  } catch (const Error& e) {
    // The layer's own constructor checks do not know the JSON path; add it.
    if (std::string(e.what()).rfind(config_where, 0) == 0) throw;
    fail(str(config_where, ": ", e.what()));
  }
  reader.finish();
  return layer;
}

json layer_to_json(const Layer& layer) {
  json config = layer.config();
  config["trainable"] = true;
  config["dtype"] = "float32";  // the dtype of the saved weights, whatever Scalar is
  for (const auto& [key, text] : layer.kept_config()) config[key] = json::parse(text);
  return {{"class_name", layer.class_name()}, {"config", std::move(config)}};
}

std::vector<std::string> layer_class_names() {
  std::vector<std::string> names;
  for (const auto& [cls, make] : registry()) names.push_back(cls);
  return names;
}

}  // namespace descent::nn
