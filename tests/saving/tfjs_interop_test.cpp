// Checked against TensorFlow.js itself: models, predictions and training trajectories that TF.js 4.22 saved
// (tests/fixtures/tfjs/make_fixtures.js made them; CI reads the committed files and needs no Node).
#include <descent/descent.hpp>
#include <descent/saving/saving.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

using namespace descent;
using nlohmann::json;

namespace {

std::string tfjs_dir(const std::string& name) { return std::string(DESCENT_TESTS_DIR) + "/fixtures/tfjs/" + name; }

json read_json(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  return json::parse(in);
}

Matrix to_matrix(const json& rows) {
  Matrix m(static_cast<Index>(rows.size()), static_cast<Index>(rows[0].size()));
  for (Index i = 0; i < m.rows(); ++i)
    for (Index j = 0; j < m.cols(); ++j) m(i, j) = rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  return m;
}

// Largest |a - b| / max(|b|, floor) over all entries.
double worst_relative(const Matrix& a, const Matrix& b, double floor) {
  REQUIRE(a.rows() == b.rows());
  REQUIRE(a.cols() == b.cols());
  double worst = 0;
  for (Index i = 0; i < a.size(); ++i) {
    double x = a.data()[i], y = b.data()[i];
    worst = std::max(worst, std::abs(x - y) / std::max(std::abs(y), floor));
  }
  return worst;
}

// The model's weights against TF.js's, by name ("h/kernel" -> flat row-major values).
double worst_weight_difference(nn::Sequential& model, const json& expected) {
  double worst = 0;
  std::size_t matched = 0;
  for (std::size_t l = 0; l < model.size(); ++l)
    for (Param* p : model.layer(l).params()) {
      const std::string name = model.layer(l).name() + "/" + p->name;
      INFO("weight ", name);
      REQUIRE(expected.contains(name));
      const json& values = expected[name];
      REQUIRE(values.size() == static_cast<std::size_t>(p->value.size()));
      Matrix e(p->value.rows(), p->value.cols());
      for (Index i = 0; i < e.size(); ++i) e.data()[i] = values[static_cast<std::size_t>(i)];
      worst = std::max(worst, worst_relative(p->value, e, 1.0));
      ++matched;
    }
  CHECK(matched == expected.size());
  return worst;
}

}  // namespace

TEST_CASE("Models TF.js saved load and predict what TF.js predicted, to 1e-5 relative") {
  for (const auto& [dir, predictions] : {std::pair<std::string, std::string>{"binary", "binary"},
                                         {"softmax", "softmax"},
                                         {"sharded", "softmax"}}) {
    INFO("model ", dir);
    nn::Sequential model = nn::load_model(tfjs_dir(dir));
    json expected = read_json(tfjs_dir(predictions + "/predictions.json"));
    Matrix y = model.predict(to_matrix(expected["x"]));
    CHECK(worst_relative(y, to_matrix(expected["y"]), 1e-6) < 1e-5);
  }
  nn::Sequential binary = nn::load_model(tfjs_dir("binary"));
  CHECK(binary.layer(0).name() == "hidden");
  CHECK(binary.input_dim() == 3);
  CHECK_FALSE(binary.compiled());  // TF.js writes trainingConfig only with includeOptimizer
}

TEST_CASE("TF.js training trajectories under SGD, momentum and Nesterov are matched to 1e-4") {
  const json t = read_json(tfjs_dir("trajectories.json"));
  const Matrix x = to_matrix(t["x"]);
  for (const auto& [name, run] : t["runs"].items()) {
    INFO("run ", name);
    const Matrix y = to_matrix(run["init"] == "train_init" ? t["y_regression"] : t["y_binary"]);
    nn::Sequential model = nn::load_model(tfjs_dir(run["init"].get<std::string>()));
    model.compile(run["loss"].get<std::string>(),
                  optim::SGD({.learning_rate = run["learning_rate"].get<double>(),
                              .momentum = run["momentum"].get<double>(),
                              .nesterov = run["nesterov"].get<bool>()}));
    nn::FitOptions options{.epochs = 3, .batch_size = t["batch_size"].get<Index>(), .shuffle = false, .verbose = 0};
    nn::History first = model.fit(x, y, options);
    CHECK(worst_weight_difference(model, run["weights_after_3"]) < 1e-4);
    options.epochs = 2;
    nn::History more = model.fit(x, y, options);
    CHECK(worst_weight_difference(model, run["weights_after_5"]) < 1e-4);
    std::vector<double> losses = first["loss"];
    losses.insert(losses.end(), more["loss"].begin(), more["loss"].end());
    for (std::size_t e = 0; e < losses.size(); ++e)
      CHECK(losses[e] == doctest::Approx(run["history"][e].get<double>()).epsilon(1e-4));
  }
}

TEST_CASE("Training resumes from an optimizer state TF.js saved (Momentum's a = -v / lr, TF.js variable names)") {
  const json t = read_json(tfjs_dir("trajectories.json"));
  const Matrix x = to_matrix(t["x"]);
  for (const auto& [name, run] : t["runs"].items()) {
    INFO("run ", name);
    const Matrix y = to_matrix(run["init"] == "train_init" ? t["y_regression"] : t["y_binary"]);
    nn::Sequential model = nn::load_model(tfjs_dir("train_" + name));
    REQUIRE(model.compiled());  // from trainingConfig
    CHECK(model.loss().name() == run["loss"]);
    auto& sgd = dynamic_cast<optim::SGD&>(model.optimizer());
    CHECK(sgd.options().momentum == doctest::Approx(run["momentum"].get<double>()));
    CHECK(sgd.options().nesterov == run["nesterov"].get<bool>());
    CHECK(model.optimizer().iterations() == 9);  // 3 epochs of 3 batches
    CHECK(worst_weight_difference(model, run["weights_after_3"]) == 0);
    model.fit(x, y, {.epochs = 5, .batch_size = 4, .shuffle = false, .verbose = 0, .initial_epoch = 3});
    CHECK(worst_weight_difference(model, run["weights_after_5"]) < 1e-4);
  }
}
