// Every layer against TensorFlow.js 4.22: tests/fixtures/tfjs/layers/<case>.json (made by make_layer_fixtures.js)
// hold a layer's JSON, its weights, an input batch, TF.js's output, an upstream gradient and TF.js's gradients of
// the input and the trainable weights. The layer is made from the JSON through the registry, so the config reading
// is checked with the arithmetic.
#include <descent/descent.hpp>

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

using namespace descent;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Layer classes with fixtures that Descent does not have yet. The test fails for a fixture whose class is neither
// registered nor listed here, and for a listed class that is registered (take it off the list).
const std::set<std::string> kNotYet = {"Conv2DTranspose", "DepthwiseConv2D", "SeparableConv2D"};

Matrix batch(const json& values, Index rows) {
  const Index n = static_cast<Index>(values.size());
  REQUIRE(n % rows == 0);
  Matrix m(rows, n / rows);
  for (Index i = 0; i < n; ++i) m.data()[i] = values[static_cast<std::size_t>(i)].get<Scalar>();
  return m;
}

// |a - b| <= 1e-5 (|b| + 1) element by element: float32 rounding of sums taken in another order.
void check_close(const Matrix& actual, const Matrix& expected, const std::string& what) {
  INFO(what);
  CHECK(actual.rows() == expected.rows());
  CHECK(actual.cols() == expected.cols());
  if (actual.rows() != expected.rows() || actual.cols() != expected.cols()) return;
  double worst = 0;
  for (Index i = 0; i < actual.size(); ++i) {
    const double a = actual.data()[i], e = expected.data()[i];
    worst = std::max(worst, std::abs(a - e) / (std::abs(e) + 1.0));
  }
  CHECK(worst <= 1e-5);
}

// Builds the fixture's layer from its JSON, sets its weights, and compares the output shape, y, dx and the weight
// gradients.
void compare_with_tfjs(const json& fixture, const std::string& where) {
  auto layer = nn::layer_from_json(fixture["layer"], where);
  std::vector<Index> dims, out_dims;
  for (const json& d : fixture["input_shape"]) dims.push_back(d.get<Index>());
  for (const json& d : fixture["output_shape"]) out_dims.push_back(d.get<Index>());
  Rng rng(0);
  layer->build(Shape(dims), rng);
  CHECK(layer->compute_output_shape(Shape(dims)) == Shape(out_dims));
  auto weights = layer->weights();
  REQUIRE(weights.size() == fixture["weights"].size());
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const json& w = fixture["weights"][i];
    CHECK(weights[i]->name == w["name"].get<std::string>());
    REQUIRE(weights[i]->value.size() == static_cast<Index>(w["values"].size()));
    for (Index k = 0; k < weights[i]->value.size(); ++k)
      weights[i]->value.data()[k] = w["values"][static_cast<std::size_t>(k)].get<Scalar>();
  }
  const Index n = fixture["batch"].get<Index>();
  layer->set_input_gradient_needed(true);
  const Matrix x = batch(fixture["x"], n);  // layers keep a pointer to their input until backward
  check_close(layer->forward(x, fixture.value("training", false)), batch(fixture["y"], n), "y");
  check_close(layer->backward(batch(fixture["dy"], n)), batch(fixture["dx"], n), "dx");
  auto params = layer->params();
  REQUIRE(params.size() == fixture["dweights"].size());
  for (std::size_t i = 0; i < params.size(); ++i)
    check_close(params[i]->grad, batch(fixture["dweights"][i]["values"], params[i]->grad.rows()),
                "d" + params[i]->name);
}

}  // namespace

TEST_CASE("Every layer matches TensorFlow.js 4.22: output, input gradient and weight gradients") {
  const fs::path dir = fs::path(DESCENT_TESTS_DIR) / "fixtures" / "tfjs" / "layers";
  const auto registered = nn::layer_class_names();
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".json" && entry.path().stem() != "cnn_training") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 50);
  int compared = 0;
  for (const fs::path& file : files) {
    const std::string where = file.filename().string();
    CAPTURE(where);
    std::ifstream in(file);
    const json fixture = json::parse(in);
    const std::string class_name = fixture["layer"]["class_name"];
    if (std::find(registered.begin(), registered.end(), class_name) == registered.end()) {
      CHECK_MESSAGE(kNotYet.count(class_name) == 1, class_name, " has fixtures but is neither registered nor listed");
      continue;
    }
    CHECK_MESSAGE(kNotYet.count(class_name) == 0, class_name, " is registered now: take it off kNotYet");
    try {
      compare_with_tfjs(fixture, where);
      ++compared;
    } catch (const std::exception& e) {
      FAIL_CHECK(where, ": ", std::string(e.what()));
    }
  }
  MESSAGE(compared, " of ", files.size(), " fixtures compared");
  CHECK(compared >= 20);
}
