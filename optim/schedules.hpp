// Keras's learning-rate schedules (keras/src/optimizers/schedules/learning_rate_schedule.py), usable as any
// optimizer's learning_rate: Adam({.learning_rate = ExponentialDecay({.initial_learning_rate = 0.1, ...})}).
#pragma once

#include "learning_rate.hpp"

#include <descent/core/config.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace descent::optim {

/// Marks an option Keras requires; the constructor refuses it until it is set.
inline constexpr double required_option = std::numeric_limits<double>::quiet_NaN();

/// The part every schedule class shares, written once (CRTP): its options, its Keras class name (Derived::kClassName)
/// and its config, which is the options' field list (read_fields and with_fields use the same list), with step
/// counts written as integers as Keras writes them.
template <class Derived, class Options>
class ScheduleWith : public LearningRateSchedule {
 public:
  explicit ScheduleWith(Options options) : options_(std::move(options)) {}
  std::string class_name() const override { return Derived::kClassName; }
  nlohmann::json config() const override {
    nlohmann::json c = with_fields(nlohmann::json::object(), options_);
    for (const char* key : {"decay_steps", "first_decay_steps", "warmup_steps"})
      if (c.contains(key)) c[key] = step_count(c[key].get<double>());
    if (c.contains("boundaries"))
      for (nlohmann::json& b : c["boundaries"]) b = step_count(b.get<double>());
    return c;
  }
  const Options& options() const { return options_; }

 protected:
  Options options_;

 private:
  // Step counts are integers in Keras configs; write them as such when they are.
  static nlohmann::json step_count(double steps) {
    if (steps == std::floor(steps) && std::abs(steps) < 9e15) return static_cast<std::int64_t>(steps);
    return steps;
  }
};

// Every options struct below holds Keras's arguments in Keras's order (name last), listed once in fields(); field
// order is API: only append. `step` is the optimizer's iteration count before the step (0 for the first step).

struct ExponentialDecayOptions {
  double initial_learning_rate = required_option;
  double decay_steps = required_option;  ///< > 0
  double decay_rate = required_option;   ///< > 0
  bool staircase = false;
  std::string name = "ExponentialDecay";

  DESCENT_FIELDS(initial_learning_rate, decay_steps, decay_rate, staircase, name);
};

/// initial_learning_rate * decay_rate ^ (step / decay_steps), the exponent floored when staircase.
class ExponentialDecay : public ScheduleWith<ExponentialDecay, ExponentialDecayOptions> {
 public:
  static constexpr const char* kClassName = "ExponentialDecay";
  explicit ExponentialDecay(ExponentialDecayOptions options);
  double operator()(double step) const override;
};

struct InverseTimeDecayOptions {
  double initial_learning_rate = required_option;
  double decay_steps = required_option;  ///< > 0
  double decay_rate = required_option;   ///< >= 0
  bool staircase = false;
  std::string name = "InverseTimeDecay";

  DESCENT_FIELDS(initial_learning_rate, decay_steps, decay_rate, staircase, name);
};

/// initial_learning_rate / (1 + decay_rate * step / decay_steps), the quotient floored when staircase.
class InverseTimeDecay : public ScheduleWith<InverseTimeDecay, InverseTimeDecayOptions> {
 public:
  static constexpr const char* kClassName = "InverseTimeDecay";
  explicit InverseTimeDecay(InverseTimeDecayOptions options);
  double operator()(double step) const override;
};

struct PiecewiseConstantDecayOptions {
  std::vector<double> boundaries;  ///< strictly increasing
  std::vector<double> values;      ///< one more than boundaries
  std::string name = "PiecewiseConstant";

  DESCENT_FIELDS(boundaries, values, name);
};

/// values[0] while step <= boundaries[0], values[i] while boundaries[i-1] < step <= boundaries[i], and values.back()
/// once step > boundaries.back().
class PiecewiseConstantDecay : public ScheduleWith<PiecewiseConstantDecay, PiecewiseConstantDecayOptions> {
 public:
  static constexpr const char* kClassName = "PiecewiseConstantDecay";
  explicit PiecewiseConstantDecay(PiecewiseConstantDecayOptions options);
  double operator()(double step) const override;
};

struct PolynomialDecayOptions {
  double initial_learning_rate = required_option;
  double decay_steps = required_option;  ///< > 0
  double end_learning_rate = 0.0001;
  double power = 1.0;
  bool cycle = false;
  std::string name = "PolynomialDecay";

  DESCENT_FIELDS(initial_learning_rate, decay_steps, end_learning_rate, power, cycle, name);
};

/// (initial - end) * (1 - s / D)^power + end, with s = min(step, decay_steps) and D = decay_steps; with cycle,
/// s = step and D = decay_steps * ceil(step / decay_steps) (D = decay_steps at step 0).
class PolynomialDecay : public ScheduleWith<PolynomialDecay, PolynomialDecayOptions> {
 public:
  static constexpr const char* kClassName = "PolynomialDecay";
  explicit PolynomialDecay(PolynomialDecayOptions options);
  double operator()(double step) const override;
};

struct CosineDecayOptions {
  double initial_learning_rate = required_option;
  double decay_steps = required_option;  ///< > 0
  double alpha = 0.0;             ///< the final rate as a fraction of the rate the decay starts from
  std::optional<double> warmup_target;  ///< unset: no warmup, the decay starts from initial_learning_rate
  double warmup_steps = 0;
  std::string name = "CosineDecay";

  DESCENT_FIELDS(initial_learning_rate, decay_steps, alpha, warmup_target, warmup_steps, name);
};

/// Without warmup: lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, D) / D)) + alpha), D = decay_steps.
/// With warmup_target: a linear rise from initial_learning_rate to warmup_target over warmup_steps, then the cosine
/// decay above from warmup_target, over step - warmup_steps.
class CosineDecay : public ScheduleWith<CosineDecay, CosineDecayOptions> {
 public:
  static constexpr const char* kClassName = "CosineDecay";
  explicit CosineDecay(CosineDecayOptions options);
  double operator()(double step) const override;
};

struct CosineDecayRestartsOptions {
  double initial_learning_rate = required_option;
  double first_decay_steps = required_option;  ///< > 0
  double t_mul = 2.0;                   ///< each period is t_mul times longer than the one before
  double m_mul = 1.0;                   ///< each restart starts at m_mul times the previous start
  double alpha = 0.0;
  std::string name = "SGDRDecay";

  DESCENT_FIELDS(initial_learning_rate, first_decay_steps, t_mul, m_mul, alpha, name);
};

/// SGDR (Loshchilov & Hutter): cosine decay over first_decay_steps, then warm restarts; in period i (from 0) the
/// rate is lr0 * ((1 - alpha) * 0.5 * m_mul^i * (1 + cos(pi * f)) + alpha), f the fraction of period i done.
class CosineDecayRestarts : public ScheduleWith<CosineDecayRestarts, CosineDecayRestartsOptions> {
 public:
  static constexpr const char* kClassName = "CosineDecayRestarts";
  explicit CosineDecayRestarts(CosineDecayRestartsOptions options);
  double operator()(double step) const override;
};

/// A schedule from {"class_name", "config"} (Keras 2 or 3 form); `where` names the JSON place in messages.
std::shared_ptr<const LearningRateSchedule> schedule_from_json(const nlohmann::json& value, const std::string& where);
/// Every registered schedule class name.
std::vector<std::string> schedule_class_names();

/// How a schedule is made from its config (read strictly).
using ScheduleFactory = std::function<std::shared_ptr<const LearningRateSchedule>(ConfigReader&)>;
/// Adds a schedule class of the user's, as Keras's register_keras_serializable: optimizer configs naming it then
/// load. `class_name` must be what the class's class_name() returns. A name already registered is an error.
void register_schedule(const std::string& class_name, ScheduleFactory factory);

/// A schedule of class T from its config: T's options read through their field list, the reader finished before
/// the constructor checks (a misspelled required key is the likelier mistake).
template <class T>
std::shared_ptr<const LearningRateSchedule> schedule_from_config(ConfigReader& r) {
  std::remove_cvref_t<decltype(std::declval<const T&>().options())> o;
  read_fields(r, o);
  r.finish();
  return std::make_shared<const T>(std::move(o));
}

/// register_schedule(T::kClassName, schedule_from_config<T>), for a class derived from ScheduleWith.
template <class T>
void register_schedule() {
  register_schedule(T::kClassName, &schedule_from_config<T>);
}

}  // namespace descent::optim
