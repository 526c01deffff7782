// One table from Keras layer class name to factory; adding a layer is its own file plus one line here.
#include "registry.hpp"

#include <descent/core/config.hpp>
#include <descent/nn/detail/layer_config.hpp>
#include <descent/nn/layers/core/activation.hpp>
#include <descent/nn/layers/core/dense.hpp>
#include <descent/nn/layers/core/identity.hpp>
#include <descent/nn/layers/normalization/batch_normalization.hpp>
#include <descent/nn/layers/normalization/layer_normalization.hpp>
#include <descent/nn/layers/regularization/dropout.hpp>
#include <descent/nn/layers/regularization/gaussian_noise.hpp>

#include <map>

namespace descent::nn {
namespace {

// The built-in classes, then whatever register_layer adds.
std::map<std::string, LayerFactory>& registry() {
  static std::map<std::string, LayerFactory> table = {
      {"Activation", &Activation::from_config},
      {"BatchNormalization", &BatchNormalization::from_config},
      {"Dense", &Dense::from_config},
      {"Dropout", &Dropout::from_config},
      {"GaussianNoise", &GaussianNoise::from_config},
      {"Identity", &Identity::from_config},
      {"LayerNormalization", &LayerNormalization::from_config},
  };
  return table;
}

std::string valid_names() {
  std::string valid;
  for (const auto& [cls, make] : registry()) valid += (valid.empty() ? "" : ", ") + cls;
  return valid;
}

}  // namespace

void register_layer(const std::string& class_name, LayerFactory factory) {
  check(!class_name.empty() && factory != nullptr, "register_layer: expected a class name and a factory; received \"",
        class_name, "\" and ", factory ? "a factory" : "no factory", ".");
  check(class_name != "InputLayer" && registry().count(class_name) == 0, "register_layer: the layer class \"",
        class_name, "\" is already registered. Known layers: ", valid_names(), ".");
  registry().emplace(class_name, factory);
}

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
  bool trainable = true;
  reader.read("trainable", trainable);
  read_keys_every_layer_has(reader);
  std::unique_ptr<Layer> layer;
  try {
    layer = it->second(reader);
    layer->set_trainable(trainable);
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
  config["trainable"] = layer.trainable();
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
