// Keras's learning-rate schedules (keras/src/optimizers/schedules/learning_rate_schedule.py), usable as any
// optimizer's learning_rate: Adam({.learning_rate = ExponentialDecay({.initial_learning_rate = 0.1, ...})}).
#pragma once

#include "learning_rate.hpp"

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace descent::optim {

/// Marks an option Keras requires; the constructor refuses it until it is set.
inline constexpr double required_option = std::numeric_limits<double>::quiet_NaN();

// Every options struct below holds Keras's arguments in Keras's order (name last); field order is API: only append.
// `step` is the optimizer's iteration count before the step (0 for the first step).

struct ExponentialDecayOptions {
  double initial_learning_rate = required_option;
  double decay_steps = required_option;  ///< > 0
  double decay_rate = required_option;   ///< > 0
  bool staircase = false;
  std::string name = "ExponentialDecay";
};

/// initial_learning_rate * decay_rate ^ (step / decay_steps), the exponent floored when staircase.
class ExponentialDecay : public LearningRateSchedule {
 public:
  explicit ExponentialDecay(ExponentialDecayOptions options);
  std::string class_name() const override { return "ExponentialDecay"; }
  nlohmann::json config() const override;
  double operator()(double step) const override;
  const ExponentialDecayOptions& options() const { return options_; }

 private:
  ExponentialDecayOptions options_;
};

struct InverseTimeDecayOptions {
  double initial_learning_rate = required_option;
  double decay_steps = required_option;  ///< > 0
  double decay_rate = required_option;   ///< >= 0
  bool staircase = false;
  std::string name = "InverseTimeDecay";
};

/// initial_learning_rate / (1 + decay_rate * step / decay_steps), the quotient floored when staircase.
class InverseTimeDecay : public LearningRateSchedule {
 public:
  explicit InverseTimeDecay(InverseTimeDecayOptions options);
  std::string class_name() const override { return "InverseTimeDecay"; }
  nlohmann::json config() const override;
  double operator()(double step) const override;
  const InverseTimeDecayOptions& options() const { return options_; }

 private:
  InverseTimeDecayOptions options_;
};

struct PiecewiseConstantDecayOptions {
  std::vector<double> boundaries;  ///< strictly increasing
  std::vector<double> values;      ///< one more than boundaries
  std::string name = "PiecewiseConstant";
};

/// values[0] while step <= boundaries[0], values[i] while boundaries[i-1] < step <= boundaries[i], and values.back()
/// once step > boundaries.back().
class PiecewiseConstantDecay : public LearningRateSchedule {
 public:
  explicit PiecewiseConstantDecay(PiecewiseConstantDecayOptions options);
  std::string class_name() const override { return "PiecewiseConstantDecay"; }
  nlohmann::json config() const override;
  double operator()(double step) const override;
  const PiecewiseConstantDecayOptions& options() const { return options_; }

 private:
  PiecewiseConstantDecayOptions options_;
};

struct PolynomialDecayOptions {
  double initial_learning_rate = required_option;
  double decay_steps = required_option;  ///< > 0
  double end_learning_rate = 0.0001;
  double power = 1.0;
  bool cycle = false;
  std::string name = "PolynomialDecay";
};

/// (initial - end) * (1 - s / D)^power + end, with s = min(step, decay_steps) and D = decay_steps; with cycle,
/// s = step and D = decay_steps * ceil(step / decay_steps) (D = decay_steps at step 0).
class PolynomialDecay : public LearningRateSchedule {
 public:
  explicit PolynomialDecay(PolynomialDecayOptions options);
  std::string class_name() const override { return "PolynomialDecay"; }
  nlohmann::json config() const override;
  double operator()(double step) const override;
  const PolynomialDecayOptions& options() const { return options_; }

 private:
  PolynomialDecayOptions options_;
};

struct CosineDecayOptions {
  double initial_learning_rate = required_option;
  double decay_steps = required_option;  ///< > 0
  double alpha = 0.0;             ///< the final rate as a fraction of the rate the decay starts from
  std::optional<double> warmup_target;  ///< unset: no warmup, the decay starts from initial_learning_rate
  double warmup_steps = 0;
  std::string name = "CosineDecay";
};

/// Without warmup: lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, D) / D)) + alpha), D = decay_steps.
/// With warmup_target: a linear rise from initial_learning_rate to warmup_target over warmup_steps, then the cosine
/// decay above from warmup_target, over step - warmup_steps.
class CosineDecay : public LearningRateSchedule {
 public:
  explicit CosineDecay(CosineDecayOptions options);
  std::string class_name() const override { return "CosineDecay"; }
  nlohmann::json config() const override;
  double operator()(double step) const override;
  const CosineDecayOptions& options() const { return options_; }

 private:
  CosineDecayOptions options_;
};

struct CosineDecayRestartsOptions {
  double initial_learning_rate = required_option;
  double first_decay_steps = required_option;  ///< > 0
  double t_mul = 2.0;                   ///< each period is t_mul times longer than the one before
  double m_mul = 1.0;                   ///< each restart starts at m_mul times the previous start
  double alpha = 0.0;
  std::string name = "SGDRDecay";
};

/// SGDR (Loshchilov & Hutter): cosine decay over first_decay_steps, then warm restarts; in period i (from 0) the
/// rate is lr0 * ((1 - alpha) * 0.5 * m_mul^i * (1 + cos(pi * f)) + alpha), f the fraction of period i done.
class CosineDecayRestarts : public LearningRateSchedule {
 public:
  explicit CosineDecayRestarts(CosineDecayRestartsOptions options);
  std::string class_name() const override { return "CosineDecayRestarts"; }
  nlohmann::json config() const override;
  double operator()(double step) const override;
  const CosineDecayRestartsOptions& options() const { return options_; }

 private:
  CosineDecayRestartsOptions options_;
};

/// A schedule from {"class_name", "config"} (Keras 2 or 3 form); `where` names the JSON place in messages.
std::shared_ptr<const LearningRateSchedule> schedule_from_json(const nlohmann::json& value, const std::string& where);
/// Every registered schedule class name.
std::vector<std::string> schedule_class_names();

}  // namespace descent::optim
