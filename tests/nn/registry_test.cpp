// Every registered layer class and activation survives a trip through JSON (the other families test theirs beside
// them), and a user's own layer class, once registered, loads and saves like a built-in one.
#include "support/scripted_callbacks.hpp"

#include <descent/core/config.hpp>
#include <descent/descent.hpp>
#include <descent/nn/registry.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>

using namespace descent;
using nlohmann::json;

namespace {

// A layer a user writes: y = x * gamma, one trainable weight per feature, gamma starting at `initial`. It uses only
// the installed headers.
class Scale : public nn::Layer {
 public:
  static constexpr const char* registered_name = "Scale";
  explicit Scale(double initial = 1.0, std::string name = "") : initial_(initial) { name_ = std::move(name); }
  static std::unique_ptr<nn::Layer> from_config(ConfigReader& r) {
    double initial = 1.0;
    std::string name;
    r.read("initial", initial);
    r.read("name", name);
    return std::make_unique<Scale>(initial, name);
  }
  std::string class_name() const override { return registered_name; }
  const Matrix& forward(const Matrix& x, bool) override {
    check_input(x);
    x_ = &x;
    y_ = x.array().rowwise() * gamma_.value.row(0).array();
    return y_;
  }
  const Matrix& backward(const Matrix& dy) override {
    gamma_.grad = (x_->array() * dy.array()).colwise().sum();
    dx_ = dy.array().rowwise() * gamma_.value.row(0).array();
    return dx_;
  }
  std::vector<Param*> params() override { return {&gamma_}; }
  json config() const override { return {{"name", name_}, {"initial", initial_}}; }

 protected:
  void build_weights(const Shape& input_shape, Rng&) override {
    gamma_.resize({input_shape.size()});
    gamma_.value.setConstant(static_cast<Scalar>(initial_));
  }

 private:
  double initial_;
  Param gamma_{.name = "gamma"};
  const Matrix* x_ = nullptr;
  Matrix y_, dx_;
};

// Registers Scale once per process, whichever test asks first.
void register_scale() {
  static const bool registered = (nn::register_layer<Scale>(), true);
  (void)registered;
}

// One non-default config per layer class. A new class without an entry fails the test below, so the table grows
// with the registry.
const std::map<std::string, json>& layer_samples() {
  static const std::map<std::string, json> samples = {
      {"Dense", json::parse(R"({"name": "d", "units": 3, "activation": "tanh", "use_bias": false,
                                "kernel_initializer": {"class_name": "HeNormal", "config": {"seed": 7}},
                                "bias_initializer": {"class_name": "Constant", "config": {"value": 0.5}},
                                "kernel_regularizer": {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.01}}})")},
      {"Activation", json::parse(R"({"name": "act", "activation": "softsign"})")},
      {"Conv1D", json::parse(R"({"name": "c1", "filters": 4, "kernel_size": [3], "strides": [1], "padding": "causal",
                                 "dilation_rate": [2], "groups": 2, "activation": "relu", "use_bias": false,
                                 "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.01}}})")},
      {"Conv2D", json::parse(R"({"name": "c2", "filters": 8, "kernel_size": [3, 5], "strides": [2, 1],
                                 "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1],
                                 "activation": "tanh", "bias_constraint": {"class_name": "NonNeg", "config": {}}})")},
      {"Conv1DTranspose", json::parse(R"({"name": "ct1", "filters": 3, "kernel_size": [4], "strides": [3],
                                          "padding": "same", "output_padding": [2], "dilation_rate": [1]})")},
      {"Conv2DTranspose", json::parse(R"({"name": "ct2", "filters": 2, "kernel_size": [3, 3], "strides": [2, 2],
                                          "padding": "valid", "output_padding": null, "activation": "relu"})")},
      {"DepthwiseConv2D", json::parse(R"({"name": "dw", "kernel_size": [3, 3], "depth_multiplier": 2,
                                          "depthwise_regularizer": {"class_name": "L2", "config": {"l2": 0.01}},
                                          "use_bias": false})")},
      {"SeparableConv2D", json::parse(R"({"name": "sep", "filters": 6, "kernel_size": [3, 3], "depth_multiplier": 3,
                                          "padding": "same", "activation": "relu",
                                          "pointwise_constraint": {"class_name": "NonNeg", "config": {}}})")},
      {"MaxPooling1D", json::parse(R"({"name": "mp1", "pool_size": [3], "strides": [2], "padding": "same"})")},
      {"MaxPooling2D", json::parse(R"({"name": "mp2", "pool_size": [2, 3], "strides": [1, 2], "padding": "valid"})")},
      {"AveragePooling1D", json::parse(R"({"name": "ap1", "pool_size": [4], "strides": [4], "padding": "valid"})")},
      {"AveragePooling2D", json::parse(R"({"name": "ap2", "pool_size": [3, 3], "strides": [2, 2], "padding": "same"})")},
      {"GlobalMaxPooling1D", json::parse(R"({"name": "gm1", "keepdims": true})")},
      {"GlobalMaxPooling2D", json::parse(R"({"name": "gm2", "keepdims": false})")},
      {"GlobalAveragePooling1D", json::parse(R"({"name": "ga1", "keepdims": false})")},
      {"GlobalAveragePooling2D", json::parse(R"({"name": "ga2", "keepdims": true})")},
      {"BatchNormalization", json::parse(R"({"name": "bn", "axis": -1, "momentum": 0.9, "epsilon": 1e-5,
                                             "center": false, "scale": true,
                                             "gamma_initializer": {"class_name": "Constant", "config": {"value": 2.0}},
                                             "moving_variance_initializer": {"class_name": "Constant",
                                                                             "config": {"value": 0.5}},
                                             "gamma_regularizer": {"class_name": "L2", "config": {"l2": 0.01}},
                                             "gamma_constraint": {"class_name": "NonNeg", "config": {}}})")},
      {"Dropout", json::parse(R"({"name": "drop", "rate": 0.25, "seed": 7, "noise_shape": null})")},
      {"GaussianNoise", json::parse(R"({"name": "noise", "stddev": 0.2, "seed": 3})")},
      {"Identity", json::parse(R"({"name": "id"})")},
      {"Flatten", json::parse(R"({"name": "flat", "data_format": "channels_last"})")},
      {"ReLU", json::parse(R"({"name": "relu", "max_value": 6.0, "negative_slope": 0.1, "threshold": 0.5})")},
      {"LeakyReLU", json::parse(R"({"name": "leaky", "negative_slope": 0.2})")},
      {"PReLU", json::parse(R"({"name": "prelu", "shared_axes": [1, 2],
                                "alpha_initializer": {"class_name": "Constant", "config": {"value": 0.25}},
                                "alpha_regularizer": {"class_name": "L2", "config": {"l2": 0.01}},
                                "alpha_constraint": {"class_name": "NonNeg", "config": {}}})")},
      {"ELU", json::parse(R"({"name": "elu", "alpha": 0.5})")},
      {"Softmax", json::parse(R"({"name": "softmax", "axis": [1, 2]})")},
      {"Rescaling", json::parse(R"({"name": "rescale", "scale": 0.00392156862745098, "offset": -0.5})")},
      {"SpatialDropout1D", json::parse(R"({"name": "sd1", "rate": 0.25, "seed": 4})")},
      {"SpatialDropout2D", json::parse(R"({"name": "sd2", "rate": 0.5, "seed": null, "data_format": "channels_last"})")},
      {"ZeroPadding1D", json::parse(R"({"name": "zp1", "padding": [2, 1], "data_format": "channels_last"})")},
      {"ZeroPadding2D", json::parse(R"({"name": "zp2", "padding": [[1, 2], [0, 3]], "data_format": "channels_last"})")},
      {"Cropping1D", json::parse(R"({"name": "c1", "cropping": [0, 2]})")},
      {"Add", json::parse(R"({"name": "add"})")},
      {"Subtract", json::parse(R"({"name": "sub"})")},
      {"Multiply", json::parse(R"({"name": "mul"})")},
      {"Average", json::parse(R"({"name": "avg"})")},
      {"Maximum", json::parse(R"({"name": "max"})")},
      {"Minimum", json::parse(R"({"name": "min"})")},
      {"Concatenate", json::parse(R"({"name": "cat", "axis": 1})")},
      {"Dot", json::parse(R"({"name": "dot", "axes": [1, -1], "normalize": true})")},
      {"Cropping2D", json::parse(R"({"name": "c2", "cropping": [[1, 0], [2, 2]], "data_format": "channels_last"})")},
      {"UpSampling1D", json::parse(R"({"name": "up1", "size": 3})")},
      {"UpSampling2D", json::parse(R"({"name": "up2", "size": [2, 3], "data_format": "channels_last",
                                       "interpolation": "nearest"})")},
      {"Reshape", json::parse(R"({"name": "reshape", "target_shape": [4, -1, 2]})")},
      {"Scale", json::parse(R"({"name": "s", "initial": 2.5})")},  // present once a test registered it
      {"LayerNormalization", json::parse(R"({"name": "ln", "axis": -1, "epsilon": 1e-6, "center": true,
                                             "scale": false,
                                             "beta_initializer": {"class_name": "Constant", "config": {"value": 0.5}},
                                             "beta_regularizer": {"class_name": "L1", "config": {"l1": 0.02}}})")},
  };
  return samples;
}

// Every value the sample sets is in the written config, unchanged.
void check_contains(const json& written, const json& sample) {
  for (const auto& [key, value] : sample.items()) {
    INFO("key ", key);
    REQUIRE(written.contains(key));
    CHECK(written[key] == value);
  }
}

}  // namespace

TEST_CASE("Every layer class round-trips through JSON with its config unchanged") {
  for (const std::string& cls : nn::layer_class_names()) {
    INFO("layer ", cls);
    REQUIRE(layer_samples().count(cls) == 1);
    json object = {{"class_name", cls}, {"config", layer_samples().at(cls)}};
    auto layer = nn::layer_from_json(object, "sample");
    CHECK(layer->class_name() == cls);
    json written = nn::layer_to_json(*layer);
    CHECK(written["class_name"] == cls);
    check_contains(written["config"], layer_samples().at(cls));
    auto again = nn::layer_from_json(written, "written");
    CHECK(nn::layer_to_json(*again) == written);
  }
}

TEST_CASE("Every activation round-trips through an Activation layer") {
  for (const std::string& name : nn::activation_names()) {
    INFO("activation ", name);
    nn::Activation layer(name, {.name = "a"});
    json written = nn::layer_to_json(layer);
    CHECK(written["config"]["activation"] == name);
    CHECK(nn::layer_to_json(*nn::layer_from_json(written, "written")) == written);
  }
}

TEST_CASE("The layer registry reports unknown classes and keys with the valid ones") {
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "LSTM", "config": {}})"), "x"),
                       doctest::Contains("x.class_name: unknown layer \"LSTM\". Valid layers:"), Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "Activation", "config": {"activaton": "relu"}})"), "x"),
      doctest::Contains("x.config.activaton: unknown key \"activaton\". Valid keys: activation"), Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "Dense", "config": {"units": 1}, "inbound": []})"), "x"),
      doctest::Contains("x.inbound: unknown key"), Error);
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "Dense"})"), "x"),
                       doctest::Contains("x.config.units: expected a positive integer; received nothing"), Error);
}

TEST_CASE("A registered user layer loads, trains, saves and loads back with its weights") {
  register_scale();
  CHECK_THROWS_WITH_AS(nn::register_layer<Scale>(),
                       doctest::Contains("register_layer: the name \"Scale\" is already registered"), Error);
  CHECK_THROWS_WITH_AS(nn::register_layer("Dense", &Scale::from_config),
                       doctest::Contains("the name \"Dense\" is already registered"), Error);

  nn::Sequential model = nn::model_from_json(R"({"class_name": "Sequential", "config": {"name": "m", "layers": [
      {"class_name": "InputLayer", "config": {"batch_shape": [null, 3]}},
      {"class_name": "Dense", "config": {"name": "d", "units": 2}},
      {"class_name": "Scale", "config": {"name": "s", "initial": 0.5, "dtype": "float32"}}]}})");
  REQUIRE(model.layer(1).class_name() == "Scale");
  CHECK(model.layer(1).weights()[0]->value == Matrix::Constant(1, 2, Scalar(0.5)));
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "Scale", "config": {"intial": 2}})"), "x"),
                       doctest::Contains("x.config.intial: unknown key \"intial\". Valid keys: "), Error);

  model.compile("mse", optim::SGD({.learning_rate = 0.1}));
  Matrix x(4, 3), y(4, 2);
  x << 1, 0, 2, -1, 1, 0, 0.5, 0.5, 1, 2, -1, 0;
  y << 1, 0, 0, 1, 1, 1, 0, 0;
  model.fit(x, y, {.epochs = 2, .batch_size = 4, .shuffle = false, .verbose = 0});
  const Matrix gamma = model.layer(1).weights()[0]->value;
  CHECK(gamma != Matrix::Constant(1, 2, Scalar(0.5)));  // trained

  const auto dir = testing::fresh_directory("user-layer");
  model.save((dir / "model").string());
  nn::Sequential loaded = nn::load_model((dir / "model").string());
  CHECK(loaded.layer(1).class_name() == "Scale");
  CHECK(nn::layer_to_json(loaded.layer(1))["config"]["initial"] == 0.5);
  // weights.bin holds float32: exact in the float build, float32 rounding in the double build.
  const Matrix loaded_gamma = loaded.layer(1).weights()[0]->value;
  CHECK((loaded_gamma - gamma).cwiseAbs().maxCoeff() <= 1e-6 * (1 + gamma.cwiseAbs().maxCoeff()));
  const Matrix p = model.predict(x), q = loaded.predict(x);
  CHECK((p - q).cwiseAbs().maxCoeff() <= 1e-5);
  std::filesystem::remove_all(dir);
}

TEST_CASE("Layer::clone makes an unbuilt layer of the same class and config, for built-in and user layers") {
  register_scale();
  nn::Dense dense(3, {.activation = "tanh", .use_bias = false, .name = "d"});
  dense.set_trainable(false);
  Rng rng(1);
  dense.build(Shape{2}, rng);
  auto copy = dense.clone();
  CHECK(copy->class_name() == "Dense");
  CHECK(nn::layer_to_json(*copy) == nn::layer_to_json(dense));
  CHECK_FALSE(copy->trainable());
  CHECK(copy->input_shape().empty());  // unbuilt: it makes its own weights
  CHECK(copy.get() != &dense);

  Scale scale(0.25, "s");
  auto scale_copy = scale.clone();
  CHECK(scale_copy->class_name() == "Scale");
  CHECK(nn::layer_to_json(*scale_copy)["config"]["initial"] == 0.25);
}
