// One table from Keras layer class name to factory; adding a layer is its own file plus one line here.
#include "registry.hpp"

#include <descent/core/config.hpp>
#include <descent/core/registry.hpp>
#include <descent/nn/detail/layer_config.hpp>
#include <descent/nn/layers/activations/elu.hpp>
#include <descent/nn/layers/activations/leaky_relu.hpp>
#include <descent/nn/layers/activations/prelu.hpp>
#include <descent/nn/layers/activations/relu.hpp>
#include <descent/nn/layers/activations/softmax.hpp>
#include <descent/nn/layers/convolutional/conv1d.hpp>
#include <descent/nn/layers/convolutional/conv2d.hpp>
#include <descent/nn/layers/core/activation.hpp>
#include <descent/nn/layers/core/dense.hpp>
#include <descent/nn/layers/core/identity.hpp>
#include <descent/nn/layers/normalization/batch_normalization.hpp>
#include <descent/nn/layers/normalization/layer_normalization.hpp>
#include <descent/nn/layers/pooling/average_pooling.hpp>
#include <descent/nn/layers/pooling/global_pooling.hpp>
#include <descent/nn/layers/pooling/max_pooling.hpp>
#include <descent/nn/layers/preprocessing/rescaling.hpp>
#include <descent/nn/layers/regularization/dropout.hpp>
#include <descent/nn/layers/regularization/gaussian_noise.hpp>
#include <descent/nn/layers/regularization/spatial_dropout.hpp>
#include <descent/nn/layers/reshaping/cropping1d.hpp>
#include <descent/nn/layers/reshaping/cropping2d.hpp>
#include <descent/nn/layers/reshaping/flatten.hpp>
#include <descent/nn/layers/reshaping/reshape.hpp>
#include <descent/nn/layers/reshaping/up_sampling1d.hpp>
#include <descent/nn/layers/reshaping/up_sampling2d.hpp>
#include <descent/nn/layers/reshaping/zero_padding1d.hpp>
#include <descent/nn/layers/reshaping/zero_padding2d.hpp>

namespace descent::nn {
namespace {

using LayerRegistry = Registry<LayerFactory>;

// The built-in classes, then whatever register_layer adds.
LayerRegistry& registry() {
  static LayerRegistry table("layer", "layers", NameMatch::exact, {
      {"Activation", {}, &Activation::from_config},
      {"AveragePooling1D", {"AvgPool1D"}, &AveragePooling1D::from_config},
      {"AveragePooling2D", {"AvgPool2D"}, &AveragePooling2D::from_config},
      {"BatchNormalization", {}, &BatchNormalization::from_config},
      {"Conv1D", {"Convolution1D"}, &Conv1D::from_config},
      {"Conv2D", {"Convolution2D"}, &Conv2D::from_config},
      {"Cropping1D", {}, &Cropping1D::from_config},
      {"Cropping2D", {}, &Cropping2D::from_config},
      {"Dense", {}, &Dense::from_config},
      {"Dropout", {}, &Dropout::from_config},
      {"ELU", {}, &ELU::from_config},
      {"Flatten", {}, &Flatten::from_config},
      {"GaussianNoise", {}, &GaussianNoise::from_config},
      {"GlobalAveragePooling1D", {"GlobalAvgPool1D"}, &GlobalAveragePooling1D::from_config},
      {"GlobalAveragePooling2D", {"GlobalAvgPool2D"}, &GlobalAveragePooling2D::from_config},
      {"GlobalMaxPooling1D", {"GlobalMaxPool1D"}, &GlobalMaxPooling1D::from_config},
      {"GlobalMaxPooling2D", {"GlobalMaxPool2D"}, &GlobalMaxPooling2D::from_config},
      {"Identity", {}, &Identity::from_config},
      {"LayerNormalization", {}, &LayerNormalization::from_config},
      {"LeakyReLU", {}, &LeakyReLU::from_config},
      {"MaxPooling1D", {"MaxPool1D"}, &MaxPooling1D::from_config},
      {"MaxPooling2D", {"MaxPool2D"}, &MaxPooling2D::from_config},
      {"PReLU", {}, &PReLU::from_config},
      {"ReLU", {}, &ReLU::from_config},
      {"Rescaling", {}, &Rescaling::from_config},
      {"Reshape", {}, &Reshape::from_config},
      {"Softmax", {}, &Softmax::from_config},
      {"SpatialDropout1D", {}, &SpatialDropout1D::from_config},
      {"SpatialDropout2D", {}, &SpatialDropout2D::from_config},
      {"UpSampling1D", {}, &UpSampling1D::from_config},
      {"UpSampling2D", {}, &UpSampling2D::from_config},
      {"ZeroPadding1D", {}, &ZeroPadding1D::from_config},
      {"ZeroPadding2D", {}, &ZeroPadding2D::from_config},
  });
  return table;
}

}  // namespace

void register_layer(const std::string& class_name, LayerFactory factory) {
  check(class_name != "InputLayer", "register_layer: the name \"InputLayer\" is the model's own.");
  registry().add({class_name, {}, factory});
}

std::unique_ptr<Layer> layer_from_json(const json& object, const std::string& where) {
  auto [class_name, config] = split_class_and_config(object, where);
  ConfigReader outer(object, where);
  outer.ignore({"class_name", "config", "module", "registered_name", "build_config", "name"});
  outer.finish();
  check_at(class_name != "InputLayer", where, "an InputLayer may only come first.");
  const auto& entry = registry().at(class_name, where + ".class_name");
  const std::string config_where = where + ".config";
  check_at(config.is_object(), config_where, "expected an object; received ", describe(config), ".");
  ConfigReader reader(config, config_where);
  bool trainable = true;
  reader.read("trainable", trainable);
  read_keys_every_layer_has(reader);
  // The layer's own constructor checks do not know the JSON path: within() adds it.
  std::unique_ptr<Layer> layer = within(config_where, [&] { return entry.make(reader); });
  layer->set_trainable(trainable);
  reader.finish();
  return layer;
}

json layer_to_json(const Layer& layer) {
  json config = layer.config();
  if (layer.config_has_trainable()) config["trainable"] = layer.trainable();
  config["dtype"] = "float32";  // the dtype of the saved weights, whatever Scalar is
  for (const auto& [key, text] : layer.kept_config()) config[key] = json::parse(text);
  return {{"class_name", layer.class_name()}, {"config", std::move(config)}};
}

std::vector<std::string> layer_class_names() { return registry().class_names(); }

}  // namespace descent::nn
