// LearningRate to and from Keras's optimizer-config form: a number or a serialized schedule.
#include "learning_rate.hpp"

#include "schedules.hpp"

#include <descent/core/config.hpp>

namespace descent::optim {

LearningRate::LearningRate(std::shared_ptr<const LearningRateSchedule> schedule) : schedule_(std::move(schedule)) {
  check(schedule_ != nullptr, "LearningRate: the schedule is null. Expected a schedule object or a number.");
}

json LearningRate::to_json() const {
  if (schedule_) return serialize(*schedule_);
  return value_;
}

LearningRate LearningRate::from_json(const json& value, const std::string& where) {
  if (value.is_number()) return LearningRate(value.get<double>());
  check(value.is_object(), where, ": expected a number or a schedule {\"class_name\", \"config\"}; received ",
        describe(value), ".");
  return LearningRate(schedule_from_json(value, where));
}

}  // namespace descent::optim
