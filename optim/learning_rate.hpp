// LearningRate: a constant rate or a schedule of the step count, accepted wherever Keras takes a learning_rate.
#pragma once

#include <descent/core/serializable.hpp>

#include <nlohmann/json_fwd.hpp>

#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

namespace descent::optim {

/// A learning rate that follows the optimizer's step count (Keras keras.optimizers.schedules.LearningRateSchedule).
/// Schedules are immutable values; optimizers that copy one share it.
class LearningRateSchedule : public Serializable {
 public:
  /// The rate at `step`: the optimizer's iteration count before the step, so 0 for the first step, as in Keras.
  virtual double operator()(double step) const = 0;
};

/// What an optimizer's `learning_rate` option holds: a number or any schedule, so both
/// `Adam({.learning_rate = 1e-3})` and `Adam({.learning_rate = ExponentialDecay({...})})` compile.
class LearningRate {
 public:
  LearningRate(double value) : value_(value) {}
  template <std::derived_from<LearningRateSchedule> Schedule>
  LearningRate(Schedule schedule) : schedule_(std::make_shared<const Schedule>(std::move(schedule))) {}
  /// Throws Error for a null schedule.
  LearningRate(std::shared_ptr<const LearningRateSchedule> schedule);

  /// The rate for the step taken when `iterations` steps are done.
  double at(std::int64_t iterations) const {
    return schedule_ ? (*schedule_)(static_cast<double>(iterations)) : value_;
  }
  bool is_schedule() const { return schedule_ != nullptr; }
  /// The schedule, or null for a constant rate.
  const std::shared_ptr<const LearningRateSchedule>& schedule() const { return schedule_; }

  /// A number for a constant rate, {"class_name", "config"} for a schedule (Keras's optimizer config form).
  nlohmann::json to_json() const;
  /// Reads a number or a serialized schedule; `where` names the JSON place in messages.
  static LearningRate from_json(const nlohmann::json& value, const std::string& where);

 private:
  double value_ = 0.0;
  std::shared_ptr<const LearningRateSchedule> schedule_;
};

}  // namespace descent::optim
