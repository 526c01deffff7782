// Monitor: the logged quantity EarlyStopping, ModelCheckpoint and ReduceLROnPlateau watch, and which way is better
// (Keras 3 MonitorCallback).
#pragma once

#include "callback.hpp"

#include <optional>
#include <string>

namespace descent::nn {

class Monitor {
 public:
  /// `mode` is "min", "max" or "auto"; `owner` names the callback in messages. Throws for another mode.
  Monitor(std::string owner, std::string key, std::string mode, double min_delta);

  /// Settles "auto" for this model: lower is better for "loss" and "val_loss", else the compiled metric of that name
  /// decides (accuracy, AUC: higher). Throws when no metric has the name. Call from on_train_begin.
  void resolve(Model& model, const FitParams& params);

  /// The value under key() in `logs`, or nullopt: expected on epochs that skip validation (validation_freq), else
  /// with a warning on stderr (once per fit) that lists the keys there.
  std::optional<double> value(const Logs& logs);

  /// Whether key() is a "val_" quantity that is missing only because this epoch skipped validation
  /// (validation_freq).
  bool awaiting_validation(const Logs& logs) const;

  /// Whether `current` beats `reference` by more than min_delta in the better direction. NaN never does.
  bool improves(double current, double reference) const;
  /// The starting "best": +inf when lower is better, -inf when higher is.
  double worst() const;

  const std::string& key() const { return key_; }
  bool higher_is_better() const { return higher_is_better_; }

 private:
  std::string owner_, key_, mode_;
  double min_delta_;
  bool higher_is_better_ = false;
  bool validating_ = false;
  bool warned_ = false;
};

}  // namespace descent::nn
