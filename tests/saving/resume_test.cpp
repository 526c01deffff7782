// Saved models that training resumes from: the noise layers' generators and the model's seed come back, load_model
// can leave the training settings behind, and a model whose weights went non-finite is never written.
#include <descent/descent.hpp>
#include <descent/saving/saving.hpp>

#include <doctest/doctest.h>

#include "support/temp_dir.hpp"
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <unistd.h>

using namespace descent;
namespace fs = std::filesystem;

namespace {

// weights.bin holds float32: only there does a save keep every bit of a weight.
constexpr bool kFloatBuild = std::is_same_v<Scalar, float>;


std::string file_text(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Dropout and GaussianNoise without seeds of their own: their generators follow the model's seed.
nn::Sequential noisy_model() {
  nn::Sequential model({.seed = 9});
  model.add(nn::Input(3));
  model.add(nn::GaussianNoise(0.1));
  model.add(nn::Dense(8, {.activation = "relu"}));
  model.add(nn::Dropout(0.3));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));
  model.compile("binary_crossentropy", optim::Adam({.learning_rate = 0.01}));
  return model;
}

Dataset toy(Index n) {
  Rng rng(3);
  Dataset d{Matrix(n, 3), Matrix(n, 1)};
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < 3; ++j) d.x(i, j) = static_cast<Scalar>(uniform01(rng) * 2 - 1);
    d.y(i, 0) = d.x(i, 0) * d.x(i, 1) > 0 ? 1 : 0;
  }
  return d;
}

}  // namespace

TEST_CASE("Training resumed from a file continues bit for bit with Dropout and GaussianNoise" *
          doctest::skip(!kFloatBuild)) {
  testing::TempDir tmp("resume");
  const Dataset d = toy(40);
  // No fit seed: the shuffling derives from the model's seed, which the file must carry as well.
  nn::FitOptions options{.epochs = 6, .batch_size = 8, .verbose = 0};
  nn::Sequential straight = noisy_model();
  const nn::History full = straight.fit(d.x, d.y, options);

  nn::Sequential first = noisy_model();
  options.epochs = 3;
  first.fit(d.x, d.y, options);
  first.save(tmp / "half");
  set_random_seed(1234);  // the loaded model must not depend on the program's seed sequence
  nn::Sequential resumed = nn::load_model(tmp / "half");
  CHECK(resumed.seed() == 9);
  options.epochs = 6;
  options.initial_epoch = 3;
  const nn::History rest = resumed.fit(d.x, d.y, options);
  for (int e = 0; e < 3; ++e) CHECK(rest["loss"][e] == full["loss"][e + 3]);
  const auto a = straight.get_weights(), b = resumed.get_weights();
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == b[i]);
  set_random_seed(42);
}

TEST_CASE("A generator state that is not one is an error naming the layer in the file") {
  testing::TempDir tmp("resume");
  nn::Sequential model = noisy_model();
  model.save(tmp / "m");
  const fs::path json_path = tmp.path / "m" / "model.json";
  nlohmann::json root = nlohmann::json::parse(file_text(json_path));
  CHECK(root["userDefinedMetadata"]["descent"]["seed"] == 9);
  root["userDefinedMetadata"]["descent"]["generators"]["dropout"] = "12 not a state";
  std::ofstream(json_path) << root.dump();
  CHECK_THROWS_WITH_AS(nn::load_model(tmp / "m"), doctest::Contains("userDefinedMetadata.descent.generators.dropout: "
                                                                     "Dropout 'dropout': expected the generator state"),
                       Error);
}

TEST_CASE("load_model with compile = false leaves the loss, the optimizer and its state behind") {
  testing::TempDir tmp("resume");
  nn::Sequential model = noisy_model();
  const Dataset d = toy(16);
  model.fit(d.x, d.y, {.epochs = 1, .verbose = 0});
  model.save(tmp / "m");
  // A file whose loss names a class this program never registered: loadable only without compiling.
  const fs::path json_path = tmp.path / "m" / "model.json";
  nlohmann::json root = nlohmann::json::parse(file_text(json_path));
  root["trainingConfig"]["loss"] = "someone_elses_loss";
  std::ofstream(json_path) << root.dump();
  CHECK_THROWS_WITH_AS(nn::load_model(tmp / "m"), doctest::Contains("unknown loss \"someone_elses_loss\""), Error);
  nn::Sequential bare = nn::load_model(tmp / "m", {.compile = false});
  CHECK_FALSE(bare.compiled());
  // weights.bin holds float32: in the double build the loaded weights are the saved ones rounded.
  CHECK((bare.predict(d.x) - model.predict(d.x)).cwiseAbs().maxCoeff() < 1e-5);
}

TEST_CASE("save refuses non-finite weights, which load_model would refuse, and leaves the previous save alone") {
  testing::TempDir tmp("resume");
  nn::Sequential model = noisy_model();
  model.save(tmp / "m");
  const std::string before = file_text(tmp.path / "m" / "model.json");
  model.weights()[0]->value(1, 3) = std::numeric_limits<Scalar>::quiet_NaN();  // dense/kernel, row 1, column 3
  const std::string expected = "save(\"" + (tmp / "m") +
                               "\"): weight 'dense/kernel' holds nan at element 11 (row-major), and load_model "
                               "refuses non-finite weights; nothing was written.";
  CHECK_THROWS_WITH_AS(model.save(tmp / "m"), doctest::Contains(expected.c_str()), Error);
  CHECK(file_text(tmp.path / "m" / "model.json") == before);
  CHECK_THROWS_WITH_AS(model.save_weights(tmp / "w"), doctest::Contains("weight 'dense/kernel' holds nan"), Error);
  CHECK_FALSE(fs::exists(tmp.path / "w"));
}
