// Callbacks: hooks into fit (Keras callbacks/callback.py), and History, the record fit returns.
#pragma once

#include <descent/core/tensor.hpp>

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace descent::nn {

class Model;

/// Values by name for one batch or epoch: "loss", "accuracy", "val_loss", ...
/// A type of its own (not an alias of std::map) so that `std::cout << logs` finds its operator<<.
struct Logs : std::map<std::string, double> {
  using std::map<std::string, double>::map;
};

/// "loss: 0.0731 - accuracy: 0.9825 - val_loss: 0.1012 - val_accuracy: 0.9649", Keras's progress-bar order: the
/// loss, the metrics by name, then the validation entries in the same order; 4 decimals.
std::ostream& operator<<(std::ostream& out, const Logs& logs);

/// What fit tells its callbacks before on_train_begin (Keras Callback.params).
struct FitParams {
  int epochs = 0;
  Index steps = 0;          ///< batches per epoch
  int verbose = 0;
  bool validating = false;  ///< whether epochs end with "val_" entries (every validation_freq-th epoch)
};

/// Override any hook. fit calls them in this order: on_train_begin, then per epoch on_epoch_begin, per batch
/// on_batch_begin / on_batch_end (running means of the epoch so far), on_epoch_end (epoch values, with "val_"
/// entries when validating), and finally on_train_end. Setting model().stop_training ends training after the
/// current batch. As in Keras, on_epoch_end may add entries to the logs ("learning_rate", say); History records
/// them, and callbacks later in the list see them.
class Callback {
 public:
  virtual ~Callback() = default;
  virtual void on_train_begin(const Logs&) {}
  virtual void on_epoch_begin(int /*epoch*/) {}
  virtual void on_batch_begin(int /*batch*/) {}
  virtual void on_batch_end(int /*batch*/, const Logs&) {}
  virtual void on_epoch_end(int /*epoch*/, Logs&) {}
  virtual void on_train_end(const Logs&) {}

  /// Set by fit before on_train_begin.
  void set_model(Model* model) { model_ = model; }
  Model& model() const;
  void set_params(const FitParams& params) { params_ = params; }
  const FitParams& params() const { return params_; }

 private:
  Model* model_ = nullptr;
  FitParams params_;
};

/// Per-epoch values of every log key, as Keras's History.history.
struct History {
  std::map<std::string, std::vector<double>> history;
  std::vector<int> epoch;
  /// True when fit stopped early because interrupt_training() was called (Ctrl-C in the descent program).
  bool interrupted = false;

  /// The values of one key, e.g. h["val_loss"]; throws listing the keys.
  const std::vector<double>& operator[](const std::string& key) const;
  /// Number of epochs run.
  std::size_t size() const { return epoch.size(); }
};

/// One line per epoch, "Epoch 3: loss: 0.0731 - accuracy: 0.9825", as Keras's verbose=2 lines read (epochs
/// 1-based); "(interrupted)" closes it when fit was interrupted.
std::ostream& operator<<(std::ostream& out, const History& history);

}  // namespace descent::nn
