// LearningRateScheduler: the user's function decides each epoch's rate.
#include "learning_rate_scheduler.hpp"

#include <descent/core/output.hpp>
#include <descent/core/error.hpp>
#include <descent/callbacks/detail/python_format.hpp>
#include <descent/models/model.hpp>

#include <cmath>
#include <ostream>

namespace descent::nn {

LearningRateScheduler::LearningRateScheduler(Schedule schedule, LearningRateSchedulerOptions options)
    : schedule_(std::move(schedule)), options_(options) {
  check(static_cast<bool>(schedule_), "LearningRateScheduler: expected a schedule function; received an empty one.");
}

void LearningRateScheduler::on_epoch_begin(int epoch) {
  optim::Optimizer& optimizer = model().optimizer();
  const double rate = schedule_(epoch, optimizer.learning_rate());
  check(std::isfinite(rate) && rate > 0, "LearningRateScheduler: the schedule returned ", python_repr(rate),
        " for epoch ", epoch, ". Expected a finite learning rate > 0.");
  optimizer.set_learning_rate(rate);
  if (options_.verbose > 0)
    output() << "\nEpoch " << epoch + 1 << ": LearningRateScheduler setting learning rate to " << python_repr(rate)
              << ".\n";
}

void LearningRateScheduler::on_epoch_end(int, Logs& logs) { logs["learning_rate"] = model().optimizer().learning_rate(); }

}  // namespace descent::nn
