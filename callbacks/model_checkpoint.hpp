// ModelCheckpoint: saves the model (or its weights) during fit, every epoch, every N batches, or only when a
// monitored quantity improves (Keras callbacks/model_checkpoint.py).
#pragma once

#include "callback.hpp"
#include "monitor.hpp"

#include <optional>
#include <string>

namespace descent::nn {

/// Keras's keyword arguments and defaults, in Keras's order.
struct ModelCheckpointOptions {
  std::string monitor = "val_loss";
  int verbose = 0;               ///< 1: say what is saved and why
  bool save_best_only = false;   ///< save only when the monitor improves on the best so far
  bool save_weights_only = false;  ///< save_weights instead of save
  std::string mode = "auto";
  int save_freq = 0;  ///< 0: at each epoch's end (Keras "epoch"); N > 0: after every N batches
  /// The "best" to beat before the first save with save_best_only (unset: the first value saves).
  std::optional<double> initial_value_threshold;
};

/// `filepath` names the directory to write, as model.save(path) / save_weights(path) take it, and may hold Python
/// format fields filled from the epoch (1-based), the batch (1-based, with save_freq) and the logs:
/// "ckpt/epoch{epoch:02d}-{val_loss:.3f}". Missing parent directories are created. Every write is atomic (see
/// Sequential::save), so a crash mid-save leaves the previous checkpoint intact.
class ModelCheckpoint : public Callback {
 public:
  explicit ModelCheckpoint(std::string filepath, ModelCheckpointOptions options = {});

  void on_train_begin(const Logs& logs) override;
  void on_epoch_begin(int epoch) override;
  void on_batch_end(int batch, const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

  /// The best monitored value so far (save_best_only).
  double best() const { return best_; }
  /// The path of the last save, or empty.
  const std::string& last_saved() const { return last_saved_; }

 private:
  void save(int epoch, std::optional<int> batch, const Logs& logs);
  bool should_save(int epoch, const Logs& logs, const std::string& path);

  std::string filepath_;
  ModelCheckpointOptions options_;
  Monitor monitor_;
  double best_ = 0.0;
  int epoch_ = 0;
  long long batches_since_save_ = 0;
  std::string last_saved_;
};

}  // namespace descent::nn
