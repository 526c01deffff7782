// A Functional model of two inputs, a shared layer called twice, Add and Concatenate, loaded from a TF.js 4.22
// layers-model and trained in Descent and in TF.js from the same weights: predictions, one SGD and one Adam step,
// five epochs of SGD (tests/fixtures/tfjs/functional/merge_shared, made by make_functional_fixtures.js).
#include <descent/descent.hpp>

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

using namespace descent;
using nlohmann::json;

namespace {

const std::string kDir = std::string(DESCENT_TESTS_DIR) + "/fixtures/tfjs/functional/merge_shared";

const json& fixture() {
  static const json f = [] {
    std::ifstream in(kDir + "/fixture.json");
    return json::parse(in);
  }();
  return f;
}

Matrix rows(const json& values, Index cols) {
  Matrix m(static_cast<Index>(values.size()) / cols, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = values[static_cast<std::size_t>(i)].get<Scalar>();
  return m;
}

Matrix array_of(const json& list, std::size_t k) {
  return rows(list[k]["values"], list[k]["shape"].back().get<Index>());
}

void check_weights(const nn::Model& model, const json& expected, double tolerance) {
  const std::vector<Matrix> actual = model.get_weights();
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(expected[i]["name"].get<std::string>());
    CHECK((actual[i] - array_of(expected, i)).cwiseAbs().maxCoeff() <= tolerance);
  }
}

}  // namespace

TEST_CASE("a TF.js Functional model of two inputs and a shared layer loads and predicts what TF.js predicts") {
  nn::Model model = nn::load_model(kDir);
  CHECK(model.class_name() == "Functional");
  std::vector<std::string> names;
  for (std::size_t i = 0; i < model.size(); ++i) names.push_back(model.layer(i).name());
  CHECK(names == std::vector<std::string>{"proj_a", "proj_b", "shared", "add", "concat", "out"});
  // The shared layer's weights once, in TF.js's order (float32 values: equal up to the double build's parse of the
  // JSON's shortest decimals).
  check_weights(model, fixture()["initial_weights"], 1e-7);
  const Matrix a = array_of(fixture()["inputs"], 0), b = array_of(fixture()["inputs"], 1);
  const Matrix expected = array_of(fixture()["predictions_before"], 0);
  CHECK((model.predict(nn::Arrays{a, b}) - expected).cwiseAbs().maxCoeff() <= 1e-6);
}

TEST_CASE("a TF.js Functional model trains as TF.js does: one SGD step, five epochs of SGD, one Adam step") {
  const Matrix a = array_of(fixture()["inputs"], 0), b = array_of(fixture()["inputs"], 1);
  const Matrix y = array_of(fixture()["targets"], 0);
  const json& sgd = fixture()["runs"]["sgd"];
  {
    nn::Model model = nn::load_model(kDir);
    model.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.1}), {"accuracy"});
    const nn::Logs logs = model.train_on_batch(model.pack_inputs(nn::Arrays{a, b}), y);
    CHECK(logs.at("loss") == doctest::Approx(sgd["one_step"]["logs"]["loss"].get<double>()).epsilon(1e-6));
    CHECK(logs.at("accuracy") == sgd["one_step"]["logs"]["acc"].get<double>());
    check_weights(model, sgd["one_step"]["weights"], 1e-6);
    CHECK((model.predict(nn::Arrays{a, b}) - array_of(sgd["one_step"]["predictions_after"], 0))
              .cwiseAbs()
              .maxCoeff() <= 1e-6);
  }
  {
    nn::Model model = nn::load_model(kDir);
    model.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.1}), {"accuracy"});
    const json& fit = sgd["fit"];
    const nn::History history = model.fit(nn::Arrays{a, b}, y,
                                          {.epochs = fit["epochs"].get<int>(), .batch_size = fit["batch_size"].get<Index>(),
                                           .shuffle = false, .verbose = 0});
    for (std::size_t epoch = 0; epoch < fit["history"]["loss"].size(); ++epoch)
      CHECK(history.history.at("loss")[epoch] ==
            doctest::Approx(fit["history"]["loss"][epoch].get<double>()).epsilon(1e-5));
    check_weights(model, fit["weights"], 1e-5);
  }
  {
    // TF.js adds epsilon to the root of the bias-corrected second moment, Keras 3 (and Descent) to the root of
    // the uncorrected one: after one step the two agree for Keras's epsilon = 1e-7 * sqrt(1 - 0.999).
    const json& adam = fixture()["runs"]["adam"];
    nn::Model model = nn::load_model(kDir);
    model.compile("binary_crossentropy", optim::Adam({.learning_rate = 0.01, .epsilon = 1e-7 * std::sqrt(0.001)}));
    const nn::Logs logs = model.train_on_batch(model.pack_inputs(nn::Arrays{a, b}), y);
    CHECK(logs.at("loss") == doctest::Approx(adam["one_step"]["logs"]["loss"].get<double>()).epsilon(1e-6));
    check_weights(model, adam["one_step"]["weights"], 1e-6);
  }
}
