// A Keras user's usual dense-network script, line for line in Descent: Adam, Dropout, BatchNormalization,
// EarlyStopping with restore_best_weights, ModelCheckpoint, then save and reload. Each step carries the Keras line
// it translates.
//
// Usage: keras_workflow [breast_cancer.csv [seed [split_dir]]]
// With split_dir, the scaled train and test sets are also written there as CSV, so that
// tests/fixtures/tfjs/keras_workflow.js can train the same script in TensorFlow.js on the same samples.
#include <descent/descent.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

using namespace descent;
namespace fs = std::filesystem;

static void write_csv(const fs::path& path, const Matrix& x, const Matrix& y) {
  std::ofstream file(path);
  file.precision(9);
  for (Index j = 0; j < x.cols(); ++j) file << "x" << j << ",";
  file << "y\n";
  for (Index i = 0; i < x.rows(); ++i) {
    for (Index j = 0; j < x.cols(); ++j) file << x(i, j) << ",";
    file << y(i, 0) << "\n";
  }
  if (!file.flush()) throw Error("cannot write " + path.string());
}

int main(int argc, char** argv) try {
  const std::string csv = argc > 1 ? argv[1] : DESCENT_DATASETS "/breast_cancer.csv";
  const std::uint64_t seed = argc > 2 ? std::stoull(argv[2]) : 1;
  const fs::path out = fs::temp_directory_path() / "descent_keras_workflow";
  fs::remove_all(out);

  auto [x, y] = data::read_csv(csv, {.label = "malignant"});
  auto [train, test] = data::train_test_split(x, y, {.test_size = 0.2, .seed = 7, .stratify = true});
  data::StandardScaler scaler;
  scaler.fit(train.x);
  const Matrix x_train = scaler.transform(train.x), x_test = scaler.transform(test.x);
  if (argc > 3) {
    write_csv(fs::path(argv[3]) / "train.csv", x_train, train.y);
    write_csv(fs::path(argv[3]) / "test.csv", x_test, test.y);
  }

  // model = keras.Sequential([keras.Input(shape=(30,)),
  //     layers.Dense(64, activation="relu"), layers.BatchNormalization(), layers.Dropout(0.3),
  //     layers.Dense(32, activation="relu"), layers.Dropout(0.3), layers.Dense(1, activation="sigmoid")])
  nn::Sequential model({.seed = seed});
  model.add(nn::Input(30));
  model.add(nn::Dense(64, {.activation = "relu"}));
  model.add(nn::BatchNormalization());
  model.add(nn::Dropout(0.3));
  model.add(nn::Dense(32, {.activation = "relu"}));
  model.add(nn::Dropout(0.3));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));

  // model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="binary_crossentropy",
  //               metrics=["accuracy", keras.metrics.AUC(name="auc")])
  model.compile("binary_crossentropy", optim::Adam({.learning_rate = 1e-3}), {"accuracy", "auc"});
  model.summary(std::cout);

  // callbacks = [keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, restore_best_weights=True),
  //              keras.callbacks.ModelCheckpoint("best", monitor="val_auc", save_best_only=True)]
  auto early_stopping = std::make_shared<nn::EarlyStopping>(
      nn::EarlyStoppingOptions{.monitor = "val_loss", .patience = 10, .verbose = 1, .restore_best_weights = true});
  auto checkpoint = std::make_shared<nn::ModelCheckpoint>(
      (out / "best").string(), nn::ModelCheckpointOptions{.monitor = "val_auc", .save_best_only = true});

  // history = model.fit(x_train, y_train, epochs=200, batch_size=32, validation_split=0.2, callbacks=callbacks,
  //                     verbose=2)
  nn::History history = model.fit(x_train, train.y, {.epochs = 200, .batch_size = 32, .validation_split = 0.2,
                                                     .verbose = 2, .callbacks = {early_stopping, checkpoint}});

  // model.evaluate(x_test, y_test)
  nn::Logs scores = model.evaluate(x_test, test.y);
  std::cout << "ran " << history.size() << " epochs; restored the weights of epoch " << early_stopping->best_epoch() + 1
            << " (val_loss " << early_stopping->best() << ")\n"
            << "test accuracy " << scores["accuracy"] << ", test AUC " << scores["auc"] << " on " << x_test.rows()
            << " samples\n";

  // model.save("final"); reloaded = keras.models.load_model("final")
  model.save((out / "final").string());
  nn::Sequential reloaded = nn::load_model((out / "final").string());
  nn::Sequential best = nn::load_model((out / "best").string());
  const bool same = reloaded.predict(x_test).isApprox(model.predict(x_test), 1e-6);
  std::cout << "reloaded model predicts as the trained one: " << (same ? "yes" : "NO") << "\n"
            << "best-AUC checkpoint: test accuracy " << best.evaluate(x_test, test.y)["accuracy"] << "\n";

  fs::remove_all(out);
  return same && scores["accuracy"] > 0.9 ? 0 : 1;
} catch (const descent::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
