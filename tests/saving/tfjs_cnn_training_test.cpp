// A small convnet (Conv2D relu, MaxPooling2D, Flatten, Dense softmax) trained in Descent and in TensorFlow.js 4.22
// from the same weights: predictions, one SGD and one Adam step, and three epochs of fit
// (tests/fixtures/tfjs/layers/cnn_training.json, made by make_layer_fixtures.js).
#include <descent/descent.hpp>

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace descent;
using nlohmann::json;

namespace {

const json& fixture() {
  static const json f = [] {
    std::ifstream in(std::string(DESCENT_TESTS_DIR) + "/fixtures/tfjs/layers/cnn_training.json");
    return json::parse(in);
  }();
  return f;
}

Matrix rows(const json& values, Index cols) {
  Matrix m(static_cast<Index>(values.size()) / cols, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = values[static_cast<std::size_t>(i)].get<Scalar>();
  return m;
}

// The fixture's weights in get_weights order, each as its Param's matrix (last axis as columns).
std::vector<Matrix> weights_of(const json& list) {
  std::vector<Matrix> out;
  for (const json& w : list) out.push_back(rows(w["values"], w["shape"].back().get<Index>()));
  return out;
}

nn::Sequential model_at_start() {
  nn::Sequential model = nn::model_from_json(fixture()["model"].dump());
  model.set_weights(weights_of(fixture()["initial_weights"]));
  return model;
}

// Float32 rounding of sums taken in another order, through a few steps.
void check_weights(const std::vector<Matrix>& actual, const json& expected, double tolerance) {
  const std::vector<Matrix> want = weights_of(expected);
  REQUIRE(actual.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    CAPTURE(i);
    CHECK((actual[i] - want[i]).cwiseAbs().maxCoeff() <= tolerance);
  }
}

}  // namespace

TEST_CASE("A convnet loaded from TF.js JSON predicts what TF.js predicts") {
  nn::Sequential model = model_at_start();
  const Matrix x = rows(fixture()["x"], 64);
  CHECK(model.output_shape() == Shape(3));
  const Matrix expected = rows(fixture()["predictions_before"], 3);
  CHECK((model.predict(x) - expected).cwiseAbs().maxCoeff() <= 1e-6);
}

TEST_CASE("A convnet trains as TF.js does: one SGD step, one Adam step, three epochs of SGD") {
  const Matrix x = rows(fixture()["x"], 64), y = rows(fixture()["y_true"], 3);
  const json& sgd = fixture()["runs"]["sgd"];
  {
    nn::Sequential model = model_at_start();
    model.compile("categorical_crossentropy", optim::SGD({.learning_rate = 0.1}));
    const nn::Logs logs = model.train_on_batch(x, y);
    CHECK(logs.at("loss") == doctest::Approx(sgd["one_step"]["loss"].get<double>()).epsilon(1e-6));
    check_weights(model.get_weights(), sgd["one_step"]["weights"], 1e-6);
    CHECK((model.predict(x) - rows(sgd["one_step"]["predictions_after"], 3)).cwiseAbs().maxCoeff() <= 1e-6);
  }
  {
    nn::Sequential model = model_at_start();
    model.compile("categorical_crossentropy", optim::SGD({.learning_rate = 0.1}));
    nn::History history = model.fit(x, y, {.epochs = 3, .batch_size = 3, .shuffle = false, .verbose = 0});
    const json& fit = sgd["fit"];
    for (int epoch = 0; epoch < 3; ++epoch)
      CHECK(history.history.at("loss")[static_cast<std::size_t>(epoch)] ==
            doctest::Approx(fit["history_loss"][static_cast<std::size_t>(epoch)].get<double>()).epsilon(1e-5));
    check_weights(model.get_weights(), fit["weights"], 1e-5);
  }
  {
    // TF.js adds epsilon to the root of the bias-corrected second moment, Keras 3 (and Descent) to the root of
    // the uncorrected one: after one step the two agree for Keras's epsilon = 1e-7 * sqrt(1 - 0.999).
    const json& adam = fixture()["runs"]["adam"];
    nn::Sequential model = model_at_start();
    model.compile("categorical_crossentropy", optim::Adam({.learning_rate = 0.01, .epsilon = 1e-7 * std::sqrt(0.001)}));
    const nn::Logs logs = model.train_on_batch(x, y);
    CHECK(logs.at("loss") == doctest::Approx(adam["one_step"]["loss"].get<double>()).epsilon(1e-6));
    check_weights(model.get_weights(), adam["one_step"]["weights"], 1e-6);
  }
}
