// Loads a model config written by Keras 3 or TensorFlow.js, trains it on the breast-cancer data, saves it as a TF.js
// layers-model, loads it back and shows the reloaded model predicts exactly what the trained one did.
//
// Usage: from_json [config.json] [breast_cancer.csv] [keep_dir]
//   config.json defaults to examples/configs/breast_cancer_keras3.json; breast_cancer_tfjs.json is the same model
//   as TF.js writes it. With keep_dir, the saved model stays there beside expected.json (the scaled test inputs
//   `x`, the predictions `y` and the labels `train_y`), for TF.js to check:
//   cd tests/fixtures/tfjs && npm install && node make_fixtures.js check keep_dir keep_dir/expected.json
#include <descent/descent.hpp>
#include <descent/saving/model_json.hpp>
#include <descent/saving/saving.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <type_traits>

using namespace descent;

int main(int argc, char** argv) try {
  const std::string config = argc > 1 ? argv[1] : DESCENT_DATASETS "/../examples/configs/breast_cancer_keras3.json";
  const std::string csv = argc > 2 ? argv[2] : DESCENT_DATASETS "/breast_cancer.csv";

  // The config brings the layers and the compile settings (loss, optimizer, metrics): the model is ready to fit.
  nn::Sequential model = nn::model_from_json_file(config);
  model.summary(std::cout);
  std::cout << "compiled with " << model.loss().name() << " and " << model.optimizer().class_name() << " (learning rate "
            << model.optimizer().learning_rate() << ")\n";

  auto [x, y] = data::read_csv(csv, {.label = "malignant"});
  auto [train, test] = data::train_test_split(x, y, {.test_size = 0.2, .seed = 7, .stratify = true});
  data::StandardScaler scaler;
  scaler.fit(train.x);
  const Matrix train_x = scaler.transform(train.x), test_x = scaler.transform(test.x);
  model.fit(train_x, train.y, {.epochs = 30, .batch_size = 32, .verbose = 0});
  nn::Logs scores = model.evaluate(test_x, test.y);
  std::cout << "test accuracy " << scores["accuracy"] << " on " << test.x.rows() << " samples\n";

  // Save (model.json + weights.bin, which TF.js's loadLayersModel reads too), then load it back.
  const bool keep = argc > 3;
  const std::filesystem::path dir =
      keep ? std::filesystem::path(argv[3]) : std::filesystem::temp_directory_path() / "descent_from_json_example";
  std::filesystem::remove_all(dir);
  model.save(dir.string());
  nn::Sequential reloaded = nn::load_model(dir.string());
  std::cout << "saved to " << dir.string() << " and loaded back\n";

  const Matrix before = model.predict(test_x), after = reloaded.predict(test_x);
  // weights.bin holds float32, as TF.js reads it: in a double build saving rounds each weight to float, so there the
  // reloaded model agrees to float precision rather than bit for bit.
  const bool identical = std::is_same_v<Scalar, float> ? before == after : before.isApprox(after, 1e-5);
  std::cout << "first predictions: " << before(0, 0) << " " << before(1, 0) << " " << before(2, 0) << " (reloaded: "
            << after(0, 0) << " " << after(1, 0) << " " << after(2, 0) << ")\n"
            << "all " << before.rows() << " predictions identical after reloading: " << (identical ? "yes" : "NO")
            << "\n";
  if (keep) {
    auto rows = [](const Matrix& m) {
      nlohmann::json out = nlohmann::json::array();
      for (Index i = 0; i < m.rows(); ++i) {
        nlohmann::json row = nlohmann::json::array();
        for (Index j = 0; j < m.cols(); ++j) row.push_back(static_cast<double>(m(i, j)));
        out.push_back(row);
      }
      return out;
    };
    std::ofstream((dir / "expected.json").string())
        << nlohmann::json{{"x", rows(test_x)}, {"y", rows(before)}, {"train_y", rows(test.y)}}.dump() << "\n";
    std::cout << "kept the model and expected.json in " << dir.string() << "\n";
  } else {
    std::filesystem::remove_all(dir);
  }
  return identical ? 0 : 1;
} catch (const descent::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
