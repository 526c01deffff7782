// ReduceLROnPlateau, step for step as Keras 3: a cooldown epoch resets wait; an improvement resets it too; otherwise,
// outside cooldown, wait grows and at `patience` the rate drops and cooldown starts.
#include "reduce_lr_on_plateau.hpp"

#include <descent/core/output.hpp>
#include <descent/core/error.hpp>
#include <descent/callbacks/detail/python_format.hpp>
#include <descent/models/model.hpp>

#include <algorithm>
#include <cmath>
#include <ostream>

namespace descent::nn {

ReduceLROnPlateau::ReduceLROnPlateau(ReduceLROnPlateauOptions options)
    : options_(std::move(options)),
      monitor_("ReduceLROnPlateau", options_.monitor, options_.mode, options_.min_delta) {
  check(options_.factor > 0 && options_.factor < 1, "ReduceLROnPlateau: expected 0 < factor < 1; received factor=",
        options_.factor, ".");
  check(options_.patience >= 0, "ReduceLROnPlateau: expected patience >= 0; received patience=", options_.patience,
        ".");
  check(options_.cooldown >= 0, "ReduceLROnPlateau: expected cooldown >= 0; received cooldown=", options_.cooldown,
        ".");
  check(std::isfinite(options_.min_lr) && options_.min_lr >= 0,
        "ReduceLROnPlateau: expected a finite min_lr >= 0; received min_lr=", options_.min_lr, ".");
}

void ReduceLROnPlateau::on_train_begin(const Logs&) {
  monitor_.resolve(model(), params());
  best_ = monitor_.worst();
  wait_ = cooldown_counter_ = 0;
}

void ReduceLROnPlateau::on_epoch_end(int epoch, Logs& logs) {
  optim::Optimizer& optimizer = model().optimizer();
  logs["learning_rate"] = optimizer.learning_rate();
  const std::optional<double> current = monitor_.value(logs);
  if (!current) return;
  if (cooldown_counter_ > 0) {
    --cooldown_counter_;
    wait_ = 0;
  }
  if (monitor_.improves(*current, best_)) {
    best_ = *current;
    wait_ = 0;
    return;
  }
  if (cooldown_counter_ > 0 || ++wait_ < options_.patience) return;
  const double old_lr = optimizer.learning_rate();
  // Keras compares in float32, its variable's type, so a rate already at min_lr counts as there.
  if (static_cast<float>(old_lr) > static_cast<float>(options_.min_lr)) {
    const double new_lr = std::max(old_lr * options_.factor, options_.min_lr);
    optimizer.set_learning_rate(new_lr);
    if (options_.verbose > 0)
      output() << "\nEpoch " << epoch + 1 << ": ReduceLROnPlateau reducing learning rate to " << python_repr(new_lr)
                << ".\n";
    cooldown_counter_ = options_.cooldown;
    wait_ = 0;
  }
}

}  // namespace descent::nn
