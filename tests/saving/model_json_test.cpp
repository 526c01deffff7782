// Model configs in the Keras 3, Keras 2 and TF.js dialects: reading, compile settings, writing, and bad input.
#include <descent/descent.hpp>
#include <descent/saving/model_json.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace descent;
using nlohmann::json;

namespace {

std::string fixture(const std::string& name) { return std::string(DESCENT_TESTS_DIR) + "/fixtures/configs/" + name; }

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

nn::Dense& dense(nn::Sequential& model, std::size_t i) { return dynamic_cast<nn::Dense&>(model.layer(i)); }

// A Keras-2 config of one Dense layer on 4 inputs whose Dense config is `dense_config`.
std::string one_dense(const std::string& dense_config) {
  return R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4]}},
    {"class_name": "Dense", "config": )" +
         dense_config + "}]}}";
}

}  // namespace

TEST_CASE("Keras 3 to_json: InputLayer batch_shape, DTypePolicy objects, build_config and compile_config") {
  nn::Sequential model = nn::model_from_json_file(fixture("keras3_classifier.json"));
  CHECK(model.name() == "sequential");
  REQUIRE(model.size() == 3);
  CHECK(model.built());
  CHECK(model.input_dim() == 8);
  CHECK(model.layer(0).name() == "dense");
  CHECK(model.layer(2).name() == "dense_2");
  CHECK(dense(model, 0).units() == 12);
  CHECK(dense(model, 0).options().activation == "relu");
  CHECK(dense(model, 2).options().activation == "sigmoid");
  CHECK(model.count_params() == (8 * 12 + 12) + (12 * 8 + 8) + (8 * 1 + 1));
  // compile_config: SGD with Nesterov momentum, binary cross-entropy, accuracy.
  REQUIRE(model.compiled());
  CHECK(model.loss().name() == "binary_crossentropy");
  auto& sgd = dynamic_cast<optim::SGD&>(model.optimizer());
  CHECK(sgd.learning_rate() == doctest::Approx(0.05));
  CHECK(sgd.options().momentum == doctest::Approx(0.9));
  CHECK(sgd.options().nesterov);
  REQUIRE(model.metric_ids().size() == 1);
  CHECK(model.metric_ids()[0].name() == "accuracy");
  // The seeded HeNormal and the L2 regularizer survive; the regularizer is kept as written.
  json written = json::parse(model.to_json());
  json last = written["config"]["layers"][3]["config"];
  CHECK(last["kernel_initializer"] == json::parse(R"({"class_name": "HeNormal", "config": {"seed": 3}})"));
  CHECK(last["kernel_regularizer"]["class_name"] == "L2");
  CHECK(last["kernel_regularizer"]["config"]["l2"] == 0.01);
}

TEST_CASE("Keras 2 to_json with an InputLayer, and without one") {
  nn::Sequential with_input = nn::model_from_json_file(fixture("keras2_with_input_layer.json"));
  CHECK(with_input.name() == "sequential_10");
  REQUIRE(with_input.size() == 1);
  CHECK(with_input.input_dim() == 8);
  CHECK(with_input.layer(0).name() == "dense_18");
  CHECK(dense(with_input, 0).units() == 32);
  CHECK(with_input.count_params() == 8 * 32 + 32);
  CHECK_FALSE(with_input.compiled());

  // Older Keras: no InputLayer; the first layer carries batch_input_shape, the others nothing.
  nn::Sequential without = nn::model_from_json(R"({"class_name": "Sequential", "config": {"name": "old", "layers": [
      {"class_name": "Dense", "config": {"name": "a", "units": 5, "activation": "relu", "batch_input_shape": [null, 7]}},
      {"class_name": "Activation", "config": {"name": "act", "activation": "softmax"}}]}})");
  CHECK(without.input_dim() == 7);
  CHECK(without.count_params() == 7 * 5 + 5);
  CHECK(without.layer(1).class_name() == "Activation");
  CHECK(without.predict(Matrix::Ones(2, 7)).row(0).sum() == doctest::Approx(1.0));

  // Very old Keras: "config" is the list of layers itself; input_shape has no batch entry.
  nn::Sequential oldest = nn::model_from_json(R"({"class_name": "Sequential", "config": [
      {"class_name": "Dense", "config": {"units": 2, "input_shape": [3]}}]})");
  CHECK(oldest.input_dim() == 3);
  CHECK(oldest.layer(0).name() == "dense");
}

TEST_CASE("Keras 2 training_config: legacy optimizer keys and nested MeanMetricWrapper metrics") {
  json config = json::parse(read_text(fixture("keras2_with_input_layer.json")));
  config["training_config"] = json::parse(R"({
    "loss": "mean_squared_error",
    "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "mae", "dtype": "float32", "fn": "mean_absolute_error"}}]],
    "weighted_metrics": null, "loss_weights": null, "sample_weight_mode": null,
    "optimizer_config": {"class_name": "SGD", "config": {"name": "SGD", "lr": 0.25, "decay": 0.0, "momentum": 0.5, "nesterov": false}}})");
  nn::Sequential model = nn::model_from_json(config.dump());
  REQUIRE(model.compiled());
  CHECK(model.loss().name() == "mean_squared_error");
  CHECK(model.optimizer().learning_rate() == 0.25);
  CHECK(dynamic_cast<optim::SGD&>(model.optimizer()).options().momentum == 0.5);
  REQUIRE(model.metric_ids().size() == 1);
  CHECK(model.metric_ids()[0].name() == "mae");
}

TEST_CASE("TF.js model.json: no InputLayer, VarianceScaling initializers, camelCase Momentum trainingConfig") {
  nn::Sequential model = nn::model_from_json_file(fixture("tfjs_model.json"));
  CHECK(model.name() == "sequential_1");
  CHECK(model.input_dim() == 3);
  CHECK(model.layer(0).name() == "dense_Dense1");
  CHECK(dense(model, 0).options().activation == "tanh");
  CHECK(model.count_params() == 3 * 6 + 6 + 6 + 1);
  auto& sgd = dynamic_cast<optim::SGD&>(model.optimizer());
  CHECK(sgd.learning_rate() == doctest::Approx(0.1));
  CHECK(sgd.options().momentum == doctest::Approx(0.9));
  CHECK(sgd.options().nesterov);
  // VarianceScaling "normal" is TF.js's and old Keras's spelling of a truncated normal.
  json init = json::parse(model.to_json())["config"]["layers"][1]["config"]["kernel_initializer"];
  CHECK(init["class_name"] == "VarianceScaling");
  CHECK(init["config"]["mode"] == "fan_avg");
  CHECK(init["config"]["distribution"] == "truncated_normal");
}

TEST_CASE("The tfjs-converter wrapper: model_config and training_config under modelTopology") {
  json keras2 = json::parse(read_text(fixture("keras2_with_input_layer.json")));
  json file = {{"modelTopology",
                {{"keras_version", "2.12.0"},
                 {"backend", "tensorflow"},
                 {"model_config", keras2},
                 {"training_config",
                  json::parse(R"({"loss": "mse", "metrics": null, "optimizer_config": {"class_name": "SGD",
                                  "config": {"name": "SGD", "learning_rate": 0.125}}})")}}},
               {"weightsManifest", json::array()},
               {"format", "layers-model"},
               {"generatedBy", "keras v2.12.0"},
               {"convertedBy", "TensorFlow.js Converter v4.6.0"}};
  nn::Sequential model = nn::model_from_json(file.dump());
  CHECK(model.input_dim() == 8);
  CHECK(model.layer(0).name() == "dense_18");
  REQUIRE(model.compiled());
  CHECK(model.optimizer().learning_rate() == 0.125);
  CHECK(model.loss().name() == "mean_squared_error");
}

TEST_CASE("to_json writes the Keras-2 dialect with an explicit InputLayer and the compile settings") {
  nn::Sequential model({.name = "net"});
  model.add(nn::Input(3));
  model.add(nn::Dense(4, {.activation = "relu", .kernel_initializer = "he_uniform"}));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));
  model.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.5, .momentum = 0.75}), {"accuracy"});
  json j = json::parse(model.to_json());
  CHECK(j["class_name"] == "Sequential");
  CHECK(j["config"]["name"] == "net");
  json layers = j["config"]["layers"];
  REQUIRE(layers.size() == 3);
  CHECK(layers[0]["class_name"] == "InputLayer");
  CHECK(layers[0]["config"]["batch_input_shape"] == json::parse("[null, 3]"));
  CHECK(layers[0]["config"]["name"] == "dense_input");
  CHECK(layers[1]["config"]["batch_input_shape"] == json::parse("[null, 3]"));
  CHECK(layers[1]["config"]["units"] == 4);
  CHECK(layers[1]["config"]["kernel_initializer"]["class_name"] == "HeUniform");
  CHECK(layers[2]["config"]["name"] == "dense_1");
  CHECK_FALSE(layers[2]["config"].contains("batch_input_shape"));
  json training = j["training_config"];
  CHECK(training["loss"] == "binary_crossentropy");
  CHECK(training["metrics"] == json::parse(R"(["accuracy"])"));
  CHECK(training["optimizer_config"]["class_name"] == "SGD");
  CHECK(training["optimizer_config"]["config"]["momentum"] == 0.75);

  // Read back, the config is the same, and so is a second writing.
  nn::Sequential again = nn::model_from_json(model.to_json());
  CHECK(again.to_json() == model.to_json());
  nn::Sequential keras3 = nn::model_from_json_file(fixture("keras3_classifier.json"));
  CHECK(nn::model_from_json(keras3.to_json()).to_json() == keras3.to_json());
}

TEST_CASE("The TF.js dialect of compile settings round-trips every optimizer spelling") {
  nn::Sequential model;
  model.add(nn::Input(2));
  model.add(nn::Dense(1));
  for (auto optimizer : {optim::OptimizerId(optim::SGD({.learning_rate = 0.3})),
                         optim::OptimizerId(optim::SGD({.learning_rate = 0.2, .momentum = 0.9, .nesterov = true})),
                         optim::OptimizerId(optim::GD({.learning_rate = 0.1, .tolerance = 0.01}))}) {
    model.compile(losses::MeanSquaredError(), optimizer);
    json tfjs = nn::training_config(model, nn::Dialect::tfjs);
    CHECK_FALSE(tfjs["optimizer_config"]["config"].contains("learning_rate"));
    CHECK(tfjs["optimizer_config"]["config"].contains("learningRate"));
    nn::Sequential copy;
    copy.add(nn::Input(2));
    copy.add(nn::Dense(1));
    nn::compile_from_json(copy, tfjs, "trainingConfig");
    CHECK(copy.optimizer().class_name() == model.optimizer().class_name());
    CHECK(copy.optimizer().config() == model.optimizer().config());
  }
  model.compile("mse", optim::SGD({.learning_rate = 0.2, .momentum = 0.9}));
  CHECK(nn::training_config(model, nn::Dialect::tfjs)["optimizer_config"]["class_name"] == "Momentum");
}

TEST_CASE("TF.js trainingConfig: RMSProp's decay is rho, Adam's beta1/beta2, Adagrad's initialAccumulatorValue") {
  // The fixture's topology with its last layer widened to 3 softmax units, and the given trainingConfig.
  auto tfjs_model = [](const std::string& training_config) {
    json file = json::parse(read_text(fixture("tfjs_model.json")));
    file["modelTopology"]["config"]["layers"][1]["config"]["units"] = 3;
    file["modelTopology"]["config"]["layers"][1]["config"]["activation"] = "softmax";
    file["trainingConfig"] = json::parse(training_config);
    return nn::model_from_json(file.dump());
  };
  auto tfjs_optimizer = [](nn::Sequential& model) {
    return nn::training_config(model, nn::Dialect::tfjs)["optimizer_config"];
  };
  // Reading the TF.js dialect back gives the same optimizer.
  auto round_trips = [](nn::Sequential& model) {
    nn::Sequential copy;
    copy.add(nn::Input(3));
    copy.add(nn::Dense(3, {.activation = "softmax"}));
    nn::compile_from_json(copy, nn::training_config(model, nn::Dialect::tfjs), "trainingConfig");
    CHECK(copy.optimizer().class_name() == model.optimizer().class_name());
    CHECK(copy.optimizer().config() == model.optimizer().config());
  };

  SUBCASE("RMSProp, the docs/FORMATS.md c.1 example: decay 0.9 is Keras's rho") {
    nn::Sequential model = tfjs_model(R"({"loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"],
      "optimizer_config": {"class_name": "RMSProp", "config": {"learningRate": 0.005, "decay": 0.9, "momentum": 0,
                                                               "epsilon": 1e-07, "centered": false}}})");
    REQUIRE(model.compiled());
    CHECK(model.loss().name() == "sparse_categorical_crossentropy");
    auto& rms = dynamic_cast<optim::RMSprop&>(model.optimizer());
    CHECK(rms.learning_rate() == 0.005);
    CHECK(rms.options().rho == 0.9);
    CHECK(rms.options().momentum == 0.0);
    CHECK(rms.options().epsilon == 1e-7);
    CHECK_FALSE(rms.options().centered);
    CHECK(model.optimizer().config()["rho"] == 0.9);
    // Written back in TF.js's spelling, the config is the example's, key for key.
    CHECK(tfjs_optimizer(model) == json::parse(R"({"class_name": "RMSProp", "config": {"learningRate": 0.005,
                                     "decay": 0.9, "momentum": 0, "epsilon": 1e-07, "centered": false}})"));
    round_trips(model);
  }
  SUBCASE("RMSProp with every value away from its default") {
    nn::Sequential model = tfjs_model(R"({"loss": "sparse_categorical_crossentropy", "metrics": [],
      "optimizer_config": {"class_name": "RMSProp", "config": {"learningRate": 0.02, "decay": 0.75, "momentum": 0.5,
                                                               "epsilon": 1e-05, "centered": true}}})");
    auto& rms = dynamic_cast<optim::RMSprop&>(model.optimizer());
    CHECK(rms.learning_rate() == 0.02);
    CHECK(rms.options().rho == 0.75);
    CHECK(rms.options().momentum == 0.5);
    CHECK(rms.options().epsilon == 1e-5);
    CHECK(rms.options().centered);
    json written = tfjs_optimizer(model);
    CHECK(written == json::parse(R"({"class_name": "RMSProp", "config": {"learningRate": 0.02, "decay": 0.75,
                                     "momentum": 0.5, "epsilon": 1e-05, "centered": true}})"));
    CHECK_FALSE(written["config"].contains("rho"));
    round_trips(model);
  }
  SUBCASE("Adam: camelCase beta1, beta2 and learningRate") {
    nn::Sequential model = tfjs_model(R"({"loss": "categorical_crossentropy", "metrics": ["accuracy"],
      "optimizer_config": {"class_name": "Adam", "config": {"learningRate": 0.002, "beta1": 0.8, "beta2": 0.99,
                                                            "epsilon": 1e-06}}})");
    REQUIRE(model.compiled());
    CHECK(model.loss().name() == "categorical_crossentropy");
    auto& adam = dynamic_cast<optim::Adam&>(model.optimizer());
    CHECK(adam.learning_rate() == 0.002);
    CHECK(adam.options().beta_1 == 0.8);
    CHECK(adam.options().beta_2 == 0.99);
    CHECK(adam.options().epsilon == 1e-6);
    CHECK_FALSE(adam.options().amsgrad);
    json written = tfjs_optimizer(model);
    CHECK(written["class_name"] == "Adam");
    CHECK(written["config"]["learningRate"] == 0.002);
    CHECK(written["config"]["beta1"] == 0.8);
    CHECK(written["config"]["beta2"] == 0.99);
    CHECK(written["config"]["epsilon"] == 1e-6);
    for (const char* keras_key : {"learning_rate", "beta_1", "beta_2", "name"})
      CHECK_FALSE(written["config"].contains(keras_key));
    round_trips(model);
  }
  SUBCASE("Adagrad: initialAccumulatorValue; epsilon, which TF.js does not record, is Keras's 1e-7") {
    nn::Sequential model = tfjs_model(R"({"loss": "mean_squared_error", "metrics": [],
      "optimizer_config": {"class_name": "Adagrad",
                           "config": {"learningRate": 0.1, "initialAccumulatorValue": 0.25}}})");
    REQUIRE(model.compiled());
    CHECK(model.loss().name() == "mean_squared_error");
    auto& adagrad = dynamic_cast<optim::Adagrad&>(model.optimizer());
    CHECK(adagrad.learning_rate() == 0.1);
    CHECK(adagrad.options().initial_accumulator_value == 0.25);
    CHECK(adagrad.options().epsilon == 1e-7);
    json written = tfjs_optimizer(model);
    CHECK(written["class_name"] == "Adagrad");
    CHECK(written["config"]["learningRate"] == 0.1);
    CHECK(written["config"]["initialAccumulatorValue"] == 0.25);
    CHECK_FALSE(written["config"].contains("initial_accumulator_value"));
    CHECK_FALSE(written["config"].contains("learning_rate"));
    round_trips(model);
  }
}

TEST_CASE("Malformed JSON is reported with its line and column") {
  const std::string text = "{\n  \"class_name\": \"Sequential\",\n  \"config\": {,}\n}";
  CHECK_THROWS_WITH_AS(nn::model_from_json(text), doctest::Contains("malformed JSON at line 3, column 14"), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json("[1, 2"), doctest::Contains("malformed JSON at line 1, column 6"), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(R"({"class_name": 1e99999})"),
                       doctest::Contains("model_from_json: malformed JSON: number overflow parsing '1e99999'"), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json_file(fixture("no_such_file.json")),
                       doctest::Contains("no_such_file.json: cannot open"), Error);
}

TEST_CASE("Bad configs name the JSON path and list the valid choices") {
  CHECK_THROWS_WITH_AS(nn::model_from_json(one_dense(R"({"units": "8"})")),
                       doctest::Contains("model_from_json: config.layers[1].config.units: expected an integer; "
                                         "received \"8\""),
                       Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(one_dense(R"({"unit": 8})")),
                       doctest::Contains("config.layers[1].config.unit: unknown key \"unit\". Valid keys:"), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(one_dense(R"({"unit": 8})")), doctest::Contains("units"), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(one_dense(R"({"units": 0})")),
                       doctest::Contains("config.layers[1].config.units: expected a positive integer"), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(one_dense(R"({"units": 2, "activation": "relu6"})")),
                       doctest::Contains("config.layers[1].config.activation: Unknown activation"), Error);
  CHECK_THROWS_WITH_AS(
      nn::model_from_json(one_dense(R"({"units": 2, "kernel_initializer": {"class_name": "Orthogonal"}})")),
      doctest::Contains("config.layers[1].config.kernel_initializer.class_name: unknown initializer \"Orthogonal\""),
      Error);
  CHECK_THROWS_WITH_AS(
      nn::model_from_json(R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "Conv3D", "config": {}}]}})"),
      doctest::Contains("config.layers[0].class_name: unknown layer \"Conv3D\". Valid layers: Activation, "),
      Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(R"({"class_name": "Functional", "config": {"layers": []}})"),
                       doctest::Contains("config.layers: expected a non-empty list of layers; received an array"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(R"({"class_name": "Graph", "config": {"layers": []}})"),
                       doctest::Contains("class_name: expected \"Sequential\", \"Functional\" or \"Model\"; "
                                         "received \"Graph\""),
                       Error);
  CHECK_THROWS_WITH_AS(
      nn::model_from_json(R"({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [null, 28, 28]}}, {"class_name": "Dense", "config": {"units": 1}}]}})"),
      doctest::Contains("takes samples of one axis (features) so far; received samples of shape (28, 28)"), Error);
  CHECK_THROWS_WITH_AS(
      nn::model_from_json(R"({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [null, 28, 0]}}, {"class_name": "Dense", "config": {"units": 1}}]}})"),
      doctest::Contains("config.layers[0].config.batch_shape[2]: expected a positive size; received 0"), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(R"({"class_name": "Sequential", "config": {"layers": [], "nmae": "x"}})"),
                       doctest::Contains("config.nmae: unknown key \"nmae\""), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(R"({"class_name": "Sequential", "config": {"layers": []}, "extra": 1})"),
                       doctest::Contains("unknown key \"extra\""), Error);

  json compiled = json::parse(read_text(fixture("keras3_classifier.json")));
  compiled["compile_config"]["loss"] = "binary_crossentropi";
  CHECK_THROWS_WITH_AS(nn::model_from_json(compiled.dump()),
                       doctest::Contains("compile_config.loss: unknown loss \"binary_crossentropi\". Valid losses:"),
                       Error);
  compiled["compile_config"]["loss"] = "binary_crossentropy";
  compiled["compile_config"]["optimizer"]["config"]["momentun"] = 0.9;
  CHECK_THROWS_WITH_AS(nn::model_from_json(compiled.dump()),
                       doctest::Contains("compile_config.optimizer.config.momentun: unknown key"), Error);
  compiled["compile_config"]["optimizer"]["config"].erase("momentun");
  compiled["compile_config"]["optimizer"]["config"]["use_ema"] = true;
  CHECK_THROWS_WITH_AS(nn::model_from_json(compiled.dump()),
                       doctest::Contains("compile_config.optimizer.config.use_ema: EMA is not supported"), Error);

  json tfjs = json::parse(read_text(fixture("tfjs_model.json")));
  tfjs["modelTopology"]["config"]["layers"][1]["config"]["units"] = 1.5;
  CHECK_THROWS_WITH_AS(nn::model_from_json(tfjs.dump()),
                       doctest::Contains("modelTopology.config.layers[1].config.units: expected an integer"), Error);
}

TEST_CASE("Keys Keras writes that Descent does not need are accepted; features it lacks are refused") {
  // module, registered_name, build_config, trainable, dtype policy objects, quantization_config: null.
  CHECK_NOTHROW(nn::model_from_json_file(fixture("keras3_classifier.json")));
  CHECK_THROWS_WITH_AS(nn::model_from_json(one_dense(R"({"units": 2, "trainable": "no"})")),
                       doctest::Contains("config.layers[1].config.trainable"), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(one_dense(R"({"units": 2, "lora_rank": 4})")),
                       doctest::Contains("config.layers[1].config.lora_rank: LoRA is not supported"), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(one_dense(R"({"units": 2, "dtype": 32})")),
                       doctest::Contains("config.layers[1].config.dtype: expected a string"), Error);
}

TEST_CASE("A frozen layer's trainable: false survives a JSON round trip and freezes it") {
  nn::Sequential model = nn::model_from_json(one_dense(R"({"units": 2, "trainable": false})"));
  CHECK_FALSE(model.layer(0).trainable());
  CHECK(model.trainable_weights().empty());
  CHECK(model.weights().size() == 2);
  const json written = json::parse(model.to_json());
  CHECK(written["config"]["layers"][1]["config"]["trainable"] == false);
  CHECK_FALSE(nn::model_from_json(model.to_json()).layer(0).trainable());
}

TEST_CASE("Configs with multi-axis sample shapes load, keep the shape and write it back") {
  auto model = nn::model_from_json(R"({"class_name": "Sequential", "config": {"layers": [
      {"class_name": "InputLayer", "config": {"batch_shape": [null, 4, 3]}},
      {"class_name": "Activation", "config": {"activation": "relu"}}]}})");
  CHECK(model.input_shape() == Shape{4, 3});
  const json written = json::parse(model.to_json());
  CHECK(written["config"]["layers"][0]["config"]["batch_input_shape"] == json::parse("[null, 4, 3]"));
  auto again = nn::model_from_json(written.dump());
  CHECK(again.input_shape() == Shape{4, 3});
  Matrix x = Matrix::Constant(2, 12, Scalar(-1));
  x(1, 5) = 2;  // one sample is one row of 4 * 3 values
  const Matrix y = again.predict(x);
  CHECK(y.rows() == 2);
  CHECK(y.cols() == 12);
  CHECK(y.sum() == 2);
}
