// Drives a callback through a scripted sequence of epoch logs, as fit would call it, so that a test states the
// monitored values and checks what the callback does with them.
#pragma once

#include <descent/descent.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace descent::testing {

/// A small compiled binary classifier that logs loss and accuracy.
inline nn::Sequential scripted_model(double learning_rate = 0.1) {
  nn::Sequential model({.seed = 5});
  model.add(nn::Input(2));
  model.add(nn::Dense(3, {.activation = "tanh"}));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));
  model.compile("binary_crossentropy", optim::SGD({.learning_rate = learning_rate}), {"accuracy"});
  return model;
}

/// Calls the hooks for each entry of `epochs` until model.stop_training; returns how many epochs ran. Before each
/// epoch's end `before_epoch_end(epoch)` may change the model (to give each epoch distinct weights).
template <class BeforeEpochEnd>
int run_scripted(nn::Callback& callback, nn::Sequential& model, std::vector<nn::Logs> epochs,
                 BeforeEpochEnd before_epoch_end, bool validating = true) {
  callback.set_model(&model);
  callback.set_params({.epochs = static_cast<int>(epochs.size()), .steps = 1, .verbose = 0, .validating = validating});
  model.stop_training = false;
  callback.on_train_begin({});
  int ran = 0;
  for (int epoch = 0; epoch < static_cast<int>(epochs.size()) && !model.stop_training; ++epoch) {
    callback.on_epoch_begin(epoch);
    before_epoch_end(epoch);
    callback.on_epoch_end(epoch, epochs[static_cast<std::size_t>(epoch)]);
    ++ran;
  }
  callback.on_train_end({});
  callback.set_model(nullptr);
  return ran;
}

inline int run_scripted(nn::Callback& callback, nn::Sequential& model, std::vector<nn::Logs> epochs) {
  return run_scripted(callback, model, std::move(epochs), [](int) {});
}

/// "val_loss" logs from a list of values.
inline std::vector<nn::Logs> val_losses(const std::vector<double>& values) {
  std::vector<nn::Logs> logs;
  for (double v : values) logs.push_back({{"loss", 1.0}, {"val_loss", v}});
  return logs;
}

/// A fresh, empty directory under the system's temporary directory.
inline std::filesystem::path fresh_directory(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("descent-tests-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace descent::testing
