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
#include <descent/nn/layers/convolutional/conv1d_transpose.hpp>
#include <descent/nn/layers/convolutional/conv2d.hpp>
#include <descent/nn/layers/convolutional/conv2d_transpose.hpp>
#include <descent/nn/layers/convolutional/depthwise_conv2d.hpp>
#include <descent/nn/layers/convolutional/separable_conv2d.hpp>
#include <descent/nn/layers/core/activation.hpp>
#include <descent/nn/layers/core/dense.hpp>
#include <descent/nn/layers/core/identity.hpp>
#include <descent/nn/layers/merging/concatenate.hpp>
#include <descent/nn/layers/merging/dot.hpp>
#include <descent/nn/layers/merging/elementwise_merges.hpp>
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

using LayerRegistry = Registry<LayerClass>;

// The built-in classes, then whatever register_layer adds.
LayerRegistry& registry() {
  static LayerRegistry table("layer", "layers", NameMatch::exact, {
      {"Activation", {}, layer_class<Activation>()},
      {"Add", {}, layer_class<Add>()},
      {"Average", {}, layer_class<Average>()},
      {"AveragePooling1D", {"AvgPool1D"}, layer_class<AveragePooling1D>()},
      {"AveragePooling2D", {"AvgPool2D"}, layer_class<AveragePooling2D>()},
      {"BatchNormalization", {}, layer_class<BatchNormalization>()},
      {"Concatenate", {}, layer_class<Concatenate>()},
      {"Conv1D", {"Convolution1D"}, layer_class<Conv1D>()},
      {"Conv1DTranspose", {"Convolution1DTranspose"}, layer_class<Conv1DTranspose>()},
      {"Conv2D", {"Convolution2D"}, layer_class<Conv2D>()},
      {"Conv2DTranspose", {"Convolution2DTranspose"}, layer_class<Conv2DTranspose>()},
      {"Cropping1D", {}, layer_class<Cropping1D>()},
      {"Cropping2D", {}, layer_class<Cropping2D>()},
      {"Dense", {}, layer_class<Dense>()},
      {"Dot", {}, layer_class<Dot>()},
      {"DepthwiseConv2D", {}, layer_class<DepthwiseConv2D>()},
      {"Dropout", {}, layer_class<Dropout>()},
      {"ELU", {}, layer_class<ELU>()},
      {"Flatten", {}, layer_class<Flatten>()},
      {"GaussianNoise", {}, layer_class<GaussianNoise>()},
      {"GlobalAveragePooling1D", {"GlobalAvgPool1D"}, layer_class<GlobalAveragePooling1D>()},
      {"GlobalAveragePooling2D", {"GlobalAvgPool2D"}, layer_class<GlobalAveragePooling2D>()},
      {"GlobalMaxPooling1D", {"GlobalMaxPool1D"}, layer_class<GlobalMaxPooling1D>()},
      {"GlobalMaxPooling2D", {"GlobalMaxPool2D"}, layer_class<GlobalMaxPooling2D>()},
      {"Identity", {}, layer_class<Identity>()},
      {"LayerNormalization", {}, layer_class<LayerNormalization>()},
      {"LeakyReLU", {}, layer_class<LeakyReLU>()},
      {"MaxPooling1D", {"MaxPool1D"}, layer_class<MaxPooling1D>()},
      {"MaxPooling2D", {"MaxPool2D"}, layer_class<MaxPooling2D>()},
      {"Maximum", {}, layer_class<Maximum>()},
      {"Minimum", {}, layer_class<Minimum>()},
      {"Multiply", {}, layer_class<Multiply>()},
      {"PReLU", {}, layer_class<PReLU>()},
      {"ReLU", {}, layer_class<ReLU>()},
      {"Rescaling", {}, layer_class<Rescaling>()},
      {"Reshape", {}, layer_class<Reshape>()},
      {"SeparableConv2D", {"SeparableConvolution2D"}, layer_class<SeparableConv2D>()},
      {"Softmax", {}, layer_class<Softmax>()},
      {"SpatialDropout1D", {}, layer_class<SpatialDropout1D>()},
      {"SpatialDropout2D", {}, layer_class<SpatialDropout2D>()},
      {"Subtract", {}, layer_class<Subtract>()},
      {"UpSampling1D", {}, layer_class<UpSampling1D>()},
      {"UpSampling2D", {}, layer_class<UpSampling2D>()},
      {"ZeroPadding1D", {}, layer_class<ZeroPadding1D>()},
      {"ZeroPadding2D", {}, layer_class<ZeroPadding2D>()},
  });
  return table;
}

}  // namespace

void register_layer(const std::string& class_name, LayerFactory factory) {
  register_layer(class_name, LayerClass{.from_config = factory});
}

void register_layer(const std::string& class_name, LayerClass layer_class) {
  check(class_name != "InputLayer", "register_layer: the name \"InputLayer\" is the model's own.");
  registry().add({class_name, {}, layer_class});
}

std::unique_ptr<Layer> move_to_heap(Layer&& layer) {
  const auto* entry = registry().find(layer.class_name());
  const bool movable = entry != nullptr && entry->make.move != nullptr && *entry->make.type == typeid(layer);
  check(movable, layer.where(), ": its class is not registered by type, so it cannot be called on a symbolic tensor; ",
        "call nn::register_layer<", layer.class_name(), ">() first.");
  return entry->make.move(std::move(layer));
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
