// Functional configs: a real Keras 2.0.8 file, a Keras 3 config (inbound_nodes of args and keras_history), Descent's
// own to_json and TF.js save read back, and the errors that name the JSON path.
#include <doctest/doctest.h>

#include "../support/matrices.hpp"
#include "../support/temp_dir.hpp"

#include <descent/descent.hpp>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace descent;
using nlohmann::json;

namespace {

// Two inputs, a shared layer called twice, a skip connection, Concatenate.
nn::Model two_input_model() {
  nn::Input a(5, {.name = "a"}), b(3, {.name = "b"});
  auto pa = nn::Dense(4, {.name = "proj_a"})(a);
  auto pb = nn::Dense(4, {.activation = "relu", .name = "proj_b"})(b);
  nn::Dense shared(4, {.activation = "tanh", .name = "shared"});
  auto added = nn::Add({.name = "add"})({shared(pa), shared(pb), pa});
  auto joined = nn::Concatenate({.name = "concat"})({added, pb});
  return nn::Model({a, b}, {nn::Dense(1, {.activation = "sigmoid", .name = "out"})(joined)},
                   {.name = "merge_shared", .seed = 7});
}

std::vector<std::string> layer_names(const nn::Model& model) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < model.size(); ++i) names.push_back(model.layer(i).name());
  return names;
}

}  // namespace

TEST_CASE("a real Keras 2.0.8 Functional config loads with Keras's shapes and parameter counts") {
  nn::Model model = nn::model_from_json_file(std::string(DESCENT_TESTS_DIR) +
                                             "/fixtures/keras/hls4ml_KERAS_3layer_batch_norm.json");
  CHECK(model.class_name() == "Functional");
  CHECK(model.input_shape() == Shape(16));
  CHECK(model.output_shape() == Shape(5));
  CHECK(layer_names(model) == std::vector<std::string>{"fc1_relu", "bn1", "relu1", "fc2_relu", "bn2", "relu2",
                                                       "fc3_relu", "bn3", "relu3", "output_softmax", "bn4",
                                                       "softmax"});
  // By hand: Dense 16*64+64, BN 4*64, Dense 64*32+32, BN 4*32, Dense 32*32+32, BN 4*32, Dense 32*5+5, BN 4*5; the
  // moving means and variances (2 per unit of each BN) are not trainable.
  CHECK(model.count_params() == 1088 + 256 + 2080 + 128 + 1056 + 128 + 165 + 20);
  const std::string summary = model.summary_text();
  CHECK(summary.find(" Total params: 4,921 (") != std::string::npos);
  CHECK(summary.find(" Trainable params: 4,655 (") != std::string::npos);
  CHECK(summary.find(" Non-trainable params: 266 (") != std::string::npos);
  CHECK(summary.find("input_1 (InputLayer)") != std::string::npos);
  CHECK(summary.find("│ bn4 (BatchNormalization)        │ (None, 5)              │            20 │") !=
        std::string::npos);
  CHECK(model.get_layer("bn1").config()["epsilon"].get<double>() == doctest::Approx(1e-6));
}

TEST_CASE("a Keras 3 Functional config: args of __keras_tensor__ objects, a merge's list, a single input triple") {
  const std::string config = R"({
    "module": "keras", "class_name": "Functional", "registered_name": null,
    "config": {"name": "residual", "trainable": true, "layers": [
      {"module": "keras.layers", "class_name": "InputLayer", "registered_name": null, "name": "features",
       "config": {"batch_shape": [null, 6], "dtype": "float32", "sparse": false, "name": "features"},
       "inbound_nodes": []},
      {"module": "keras.layers", "class_name": "Dense", "registered_name": null, "name": "hidden",
       "config": {"name": "hidden", "trainable": true, "dtype": "float32", "units": 6, "activation": "relu"},
       "build_config": {"input_shape": [null, 6]},
       "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 6],
                          "dtype": "float32", "keras_history": ["features", 0, 0]}}], "kwargs": {}}]},
      {"module": "keras.layers", "class_name": "Add", "registered_name": null, "name": "add",
       "config": {"name": "add", "trainable": true, "dtype": "float32"},
       "inbound_nodes": [{"args": [[
         {"class_name": "__keras_tensor__", "config": {"shape": [null, 6], "dtype": "float32",
          "keras_history": ["hidden", 0, 0]}},
         {"class_name": "__keras_tensor__", "config": {"shape": [null, 6], "dtype": "float32",
          "keras_history": ["features", 0, 0]}}]], "kwargs": {}}]},
      {"module": "keras.layers", "class_name": "Dense", "registered_name": null, "name": "out",
       "config": {"name": "out", "trainable": true, "dtype": "float32", "units": 1, "activation": "sigmoid"},
       "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 6],
                          "dtype": "float32", "keras_history": ["add", 0, 0]}}], "kwargs": {"training": false}}]}],
      "input_layers": ["features", 0, 0], "output_layers": ["out", 0, 0]},
    "compile_config": {"loss": "binary_crossentropy", "optimizer": "adam", "metrics": ["accuracy"]}})";
  nn::Model model = nn::model_from_json(config);
  CHECK(model.name() == "residual");
  CHECK(layer_names(model) == std::vector<std::string>{"hidden", "add", "out"});
  CHECK(model.compiled());
  CHECK(model.count_params() == 42 + 7);
  // out(features + relu(hidden(features))): checked against the formula with the model's own weights.
  const Matrix x = testing::uniform_matrix(4, 6, 3);
  const auto w = model.get_weights();
  const Matrix h = ((x * w[0]).rowwise() + w[1].row(0)).cwiseMax(Scalar(0)) + x;
  const Matrix expected = ((-((h * w[2]).rowwise() + w[3].row(0)).array()).exp() + Scalar(1)).inverse().matrix();
  CHECK(testing::close(model.predict(x), expected));
}

TEST_CASE("to_json writes a Functional config that reads back to the same graph, shared layer and all") {
  nn::Model model = two_input_model();
  const json written = json::parse(model.to_json());
  CHECK(written["class_name"] == "Functional");
  const json& layers = written["config"]["layers"];
  CHECK(layers[0]["class_name"] == "InputLayer");
  CHECK(layers[0]["config"]["batch_input_shape"] == json::parse("[null, 5]"));
  json shared;
  for (const json& l : layers)
    if (l["name"] == "shared") shared = l;
  CHECK(shared["inbound_nodes"] == json::parse(R"([[["proj_a", 0, 0, {}]], [["proj_b", 0, 0, {}]]])"));
  CHECK(written["config"]["input_layers"] == json::parse(R"([["a", 0, 0], ["b", 0, 0]])"));
  CHECK(written["config"]["output_layers"] == json::parse(R"([["out", 0, 0]])"));

  nn::Model again = nn::model_from_json(model.to_json());
  CHECK(again.to_json() == model.to_json());
  CHECK(again.summary_text() == model.summary_text());
  again.set_weights(model.get_weights());
  const Matrix xa = testing::uniform_matrix(6, 5, 1), xb = testing::uniform_matrix(6, 3, 2);
  CHECK(again.predict(nn::Arrays{xa, xb}) == model.predict(nn::Arrays{xa, xb}));
  CHECK(model.predict(nn::Arrays{{"b", xb}, {"a", xa}}) == model.predict(nn::Arrays{xa, xb}));
}

TEST_CASE("a Functional model saves as a TF.js layers-model and loads back, compiled, with its weights") {
  testing::TempDir dir;
  nn::Model model = two_input_model();
  model.compile("binary_crossentropy", "adam", {"accuracy"});
  const Matrix xa = testing::uniform_matrix(16, 5, 1), xb = testing::uniform_matrix(16, 3, 2);
  Matrix y(16, 1);
  for (Index i = 0; i < y.rows(); ++i) y(i, 0) = xa(i, 0) + xb(i, 1) > 0 ? 1 : 0;
  model.fit(nn::Arrays{xa, xb}, y, {.epochs = 2, .batch_size = 4, .verbose = 0});
  const std::string path = dir / "model";
  model.save(path);
  std::ifstream file(path + "/model.json");
  const json saved = json::parse(file);
  CHECK(saved["modelTopology"]["class_name"] == "Model");  // TF.js's name for a Functional model
  nn::Model loaded = nn::load_model(path);
  CHECK(loaded.class_name() == "Functional");
  CHECK(loaded.compiled());
  // TF.js files hold float32: exact in the float build, float32 rounding in the double build.
  CHECK(testing::close(loaded.predict(nn::Arrays{xa, xb}), model.predict(nn::Arrays{xa, xb})));
  // Resumed training continues where it stopped (Adam's slots came back too).
  model.fit(nn::Arrays{xa, xb}, y, {.epochs = 1, .batch_size = 4, .shuffle = false, .verbose = 0});
  loaded.fit(nn::Arrays{xa, xb}, y, {.epochs = 1, .batch_size = 4, .shuffle = false, .verbose = 0});
  const auto wa = model.get_weights(), wb = loaded.get_weights();
  for (std::size_t k = 0; k < wa.size(); ++k) CHECK(testing::close(wa[k], wb[k]));
  if constexpr (std::is_same_v<Scalar, float>)
    for (std::size_t k = 0; k < wa.size(); ++k) CHECK(wa[k] == wb[k]);
}

TEST_CASE("bad Functional configs name the JSON path") {
  auto config = [](const std::string& inbound, const std::string& outputs = R"([["d", 0, 0]])") {
    return R"({"class_name": "Model", "config": {"name": "m", "layers": [
      {"class_name": "InputLayer", "name": "x", "config": {"batch_input_shape": [null, 3], "name": "x"},
       "inbound_nodes": []},
      {"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 2}, "inbound_nodes": )" +
           inbound + R"(}], "input_layers": [["x", 0, 0]], "output_layers": )" + outputs + "}}";
  };
  CHECK(nn::model_from_json(config(R"([[["x", 0, 0, {}]]])")).count_params() == 8);
  CHECK_THROWS_WITH_AS(nn::model_from_json(config(R"([[["nowhere", 0, 0, {}]]])")),
                       doctest::Contains("config.layers[1].inbound_nodes[0][0]: unknown layer \"nowhere\""), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(config(R"([[["x", 0, 0, {}]]])", R"([["d", 1, 0]])")),
                       doctest::Contains("config.output_layers[0]: \"d\" has no call 1"), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(config(R"([[["d", 0, 0, {}]]])")),
                       doctest::Contains("inbound_nodes[0][0]: \"d\" has no call 0 that could be made"), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(config(R"([[["x", 0, 0, {"mask": 1}]]])")),
                       doctest::Contains("inbound_nodes[0][0][3]: call arguments are not supported"), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(config(R"([[["x", 0, 1, {}]]])")),
                       doctest::Contains("output 1 of \"x\"; Descent's layers have one output"), Error);
  CHECK_THROWS_WITH_AS(nn::model_from_json(config(R"([[["x", 0, 0, {}]]])", R"([["x", 0, 0]])")),
                       doctest::Contains("output 0 is input 0 itself"), Error);
  nn::Model two = two_input_model();
  const Matrix xa = testing::uniform_matrix(2, 5, 1), xb = testing::uniform_matrix(3, 3, 2);
  CHECK_THROWS_WITH_AS(two.predict(nn::Arrays{xa}), doctest::Contains("expected 2 arrays, one per input; received 1"),
                       Error);
  CHECK_THROWS_WITH_AS(two.predict(nn::Arrays{xa, xb}),
                       doctest::Contains("every input needs the same number of rows; \"a\" has 2 and \"b\" 3"), Error);
  CHECK_THROWS_WITH_AS(two.predict(nn::Arrays{{"a", xa}, {"c", xb}}),
                       doctest::Contains("no input named \"c\"; inputs: \"a\", \"b\""), Error);
  CHECK_THROWS_WITH_AS(two.predict(nn::Arrays{xb, xa}),
                       doctest::Contains("input \"a\" (samples of shape (5,)) expects 5 columns; received 3"), Error);
}
