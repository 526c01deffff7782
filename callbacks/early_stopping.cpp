// EarlyStopping, step for step as Keras 3: the first monitored epoch sets the best weights; wait counts epochs since
// the last improvement and is reset only by an improvement that also beats the baseline.
#include "early_stopping.hpp"

#include <descent/core/output.hpp>
#include <descent/core/error.hpp>
#include <descent/models/model.hpp>

#include <ostream>

namespace descent::nn {

EarlyStopping::EarlyStopping(EarlyStoppingOptions options)
    : options_(std::move(options)),
      monitor_("EarlyStopping", options_.monitor, options_.mode, options_.min_delta) {
  check(options_.patience >= 0, "EarlyStopping: expected patience >= 0; received patience=", options_.patience, ".");
  check(options_.start_from_epoch >= 0, "EarlyStopping: expected start_from_epoch >= 0; received start_from_epoch=",
        options_.start_from_epoch, ".");
}

void EarlyStopping::on_train_begin(const Logs&) {
  // Keras keeps `best` between fits; resetting it too lets one instance serve several fits alike.
  monitor_.resolve(model(), params());
  wait_ = stopped_epoch_ = best_epoch_ = 0;
  best_ = monitor_.worst();
  best_weights_.clear();
}

void EarlyStopping::on_epoch_end(int epoch, Logs& logs) {
  const std::optional<double> current = monitor_.value(logs);
  if (!current || epoch < options_.start_from_epoch) return;
  if (options_.restore_best_weights && best_weights_.empty()) {
    best_weights_ = model().get_weights();
    best_epoch_ = epoch;
  }
  ++wait_;
  if (monitor_.improves(*current, best_)) {
    best_ = *current;
    best_epoch_ = epoch;
    if (options_.restore_best_weights) best_weights_ = model().get_weights();
    if (!options_.baseline || monitor_.improves(*current, *options_.baseline)) wait_ = 0;
    return;
  }
  if (wait_ >= options_.patience && epoch > 0) {
    stopped_epoch_ = epoch;
    model().stop_training = true;
  }
}

void EarlyStopping::on_train_end(const Logs&) {
  if (stopped_epoch_ > 0 && options_.verbose > 0) output() << "Epoch " << stopped_epoch_ + 1 << ": early stopping\n";
  if (options_.restore_best_weights && !best_weights_.empty()) {
    if (options_.verbose > 0)
      output() << "Restoring model weights from the end of the best epoch: " << best_epoch_ + 1 << ".\n";
    model().set_weights(best_weights_);
  }
}

}  // namespace descent::nn
