// The six Keras learning-rate schedules and their registry.
// Formulas: keras/src/optimizers/schedules/learning_rate_schedule.py (Keras 3), evaluated in double.
#include "schedules.hpp"

#include <descent/optim/detail/option_checks.hpp>

#include <descent/core/config.hpp>
#include <descent/core/registry.hpp>

#include <cmath>
#include <numbers>

namespace descent::optim {
namespace {

using detail::check_option;

void check_initial(const std::string& where, double lr) {
  check_option(where, "initial_learning_rate", lr, lr >= 0, "a finite initial_learning_rate >= 0");
}

void check_steps(const std::string& where, const char* name, double steps) {
  check_option(where, name, steps, steps > 0, "a step count > 0");
}

void check_alpha(const std::string& where, double alpha) {
  check_option(where, "alpha", alpha, alpha >= 0 && alpha <= 1, "0 <= alpha <= 1");
}

// The cosine factor shared by CosineDecay and CosineDecayRestarts: (1 - alpha) * 0.5 * scale * (1 + cos(pi f)) + alpha.
double cosine(double fraction, double alpha, double scale = 1.0) {
  return (1 - alpha) * 0.5 * scale * (1 + std::cos(std::numbers::pi * fraction)) + alpha;
}

}  // namespace

// ---- ExponentialDecay ----

ExponentialDecay::ExponentialDecay(ExponentialDecayOptions options) : ScheduleWith(std::move(options)) {
  check_initial("ExponentialDecay", options_.initial_learning_rate);
  check_steps("ExponentialDecay", "decay_steps", options_.decay_steps);
  check_option("ExponentialDecay", "decay_rate", options_.decay_rate, options_.decay_rate > 0, "decay_rate > 0");
}

double ExponentialDecay::operator()(double step) const {
  double p = step / options_.decay_steps;
  if (options_.staircase) p = std::floor(p);
  return options_.initial_learning_rate * std::pow(options_.decay_rate, p);
}


// ---- InverseTimeDecay ----

InverseTimeDecay::InverseTimeDecay(InverseTimeDecayOptions options) : ScheduleWith(std::move(options)) {
  check_initial("InverseTimeDecay", options_.initial_learning_rate);
  check_steps("InverseTimeDecay", "decay_steps", options_.decay_steps);
  check_option("InverseTimeDecay", "decay_rate", options_.decay_rate, options_.decay_rate >= 0, "decay_rate >= 0");
}

double InverseTimeDecay::operator()(double step) const {
  double p = step / options_.decay_steps;
  if (options_.staircase) p = std::floor(p);
  return options_.initial_learning_rate / (1 + options_.decay_rate * p);
}


// ---- PiecewiseConstantDecay ----

PiecewiseConstantDecay::PiecewiseConstantDecay(PiecewiseConstantDecayOptions options) : ScheduleWith(std::move(options)) {
  const auto& b = options_.boundaries;
  const auto& v = options_.values;
  check(v.size() == b.size() + 1, "PiecewiseConstantDecay: values must have one more element than boundaries. ",
        "Expected ", b.size() + 1, " values for ", b.size(), " boundaries; received ", v.size(), " values.");
  for (std::size_t i = 0; i < b.size(); ++i) {
    check(std::isfinite(b[i]) && (i == 0 || b[i] > b[i - 1]), "PiecewiseConstantDecay: boundaries must be finite ",
          "and strictly increasing. Expected boundaries[", i, "] > ", i == 0 ? -INFINITY : b[i - 1],
          "; received boundaries[", i, "]=", b[i], ".");
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    check(std::isfinite(v[i]) && v[i] >= 0, "PiecewiseConstantDecay: bad learning rate in values. Expected finite ",
          "values >= 0; received values[", i, "]=", v[i], ".");
  }
}

double PiecewiseConstantDecay::operator()(double step) const {
  // The first interval whose upper boundary the step has not passed; past every boundary, the last value.
  const auto& b = options_.boundaries;
  std::size_t i = 0;
  while (i < b.size() && step > b[i]) ++i;
  return options_.values[i];
}


// ---- PolynomialDecay ----

PolynomialDecay::PolynomialDecay(PolynomialDecayOptions options) : ScheduleWith(std::move(options)) {
  check_initial("PolynomialDecay", options_.initial_learning_rate);
  check_steps("PolynomialDecay", "decay_steps", options_.decay_steps);
  check_option("PolynomialDecay", "end_learning_rate", options_.end_learning_rate, options_.end_learning_rate >= 0,
               "end_learning_rate >= 0");
  check_option("PolynomialDecay", "power", options_.power, options_.power >= 0, "power >= 0");
}

double PolynomialDecay::operator()(double step) const {
  double decay_steps = options_.decay_steps;
  if (options_.cycle) {
    // The first multiple of decay_steps not below the step, so each cycle decays afresh.
    decay_steps *= step == 0 ? 1.0 : std::ceil(step / options_.decay_steps);
  } else {
    step = std::min(step, decay_steps);
  }
  const double p = step / decay_steps;
  return (options_.initial_learning_rate - options_.end_learning_rate) * std::pow(1 - p, options_.power) +
         options_.end_learning_rate;
}


// ---- CosineDecay ----

CosineDecay::CosineDecay(CosineDecayOptions options) : ScheduleWith(std::move(options)) {
  check_initial("CosineDecay", options_.initial_learning_rate);
  check_steps("CosineDecay", "decay_steps", options_.decay_steps);
  check_alpha("CosineDecay", options_.alpha);
  check_option("CosineDecay", "warmup_steps", options_.warmup_steps, options_.warmup_steps >= 0,
               "warmup_steps >= 0");
  if (options_.warmup_target)
    check_option("CosineDecay", "warmup_target", *options_.warmup_target, *options_.warmup_target >= 0,
                 "a finite warmup_target >= 0, or none for no warmup");
}

double CosineDecay::operator()(double step) const {
  const double decay_steps = options_.decay_steps;
  if (!options_.warmup_target) {
    return options_.initial_learning_rate * cosine(std::min(step, decay_steps) / decay_steps, options_.alpha);
  }
  const double target = *options_.warmup_target;
  const double warmup_steps = options_.warmup_steps;
  step = std::min(step, decay_steps + warmup_steps);
  if (step < warmup_steps) {
    return (target - options_.initial_learning_rate) * (step / warmup_steps) + options_.initial_learning_rate;
  }
  return target * cosine((step - warmup_steps) / decay_steps, options_.alpha);
}


// ---- CosineDecayRestarts ----

CosineDecayRestarts::CosineDecayRestarts(CosineDecayRestartsOptions options) : ScheduleWith(std::move(options)) {
  check_initial("CosineDecayRestarts", options_.initial_learning_rate);
  check_steps("CosineDecayRestarts", "first_decay_steps", options_.first_decay_steps);
  check_option("CosineDecayRestarts", "t_mul", options_.t_mul, options_.t_mul > 0, "t_mul > 0");
  check_option("CosineDecayRestarts", "m_mul", options_.m_mul, options_.m_mul >= 0, "m_mul >= 0");
  check_alpha("CosineDecayRestarts", options_.alpha);
}

double CosineDecayRestarts::operator()(double step) const {
  const double t_mul = options_.t_mul;
  double fraction = step / options_.first_decay_steps;  // in units of the first period
  double restart = 0;
  if (t_mul == 1.0) {
    restart = std::floor(fraction);
    fraction -= restart;
  } else {
    // Period i starts at (1 - t_mul^i) / (1 - t_mul) first periods and lasts t_mul^i of them. Keras solves for i
    // with a logarithm; the two loops correct the last-bit error that can land a step on an exact restart in the
    // wrong period.
    auto start = [t_mul](double i) { return (1 - std::pow(t_mul, i)) / (1 - t_mul); };
    restart = std::floor(std::log(1 - fraction * (1 - t_mul)) / std::log(t_mul));
    while (restart > 0 && start(restart) > fraction) restart -= 1;
    while (start(restart + 1) <= fraction) restart += 1;
    fraction = (fraction - start(restart)) / std::pow(t_mul, restart);
  }
  return options_.initial_learning_rate * cosine(fraction, options_.alpha, std::pow(options_.m_mul, restart));
}


// ---- Configs and the registry ----

namespace {

using ScheduleRegistry = Registry<ScheduleFactory>;

template <class Schedule>
ScheduleRegistry::Entry entry() {
  return {Schedule::kClassName, {}, &schedule_from_config<Schedule>};
}

ScheduleRegistry& registry() {
  static ScheduleRegistry table("learning-rate schedule", "schedules", NameMatch::exact,
                                {entry<CosineDecay>(), entry<CosineDecayRestarts>(), entry<ExponentialDecay>(),
                                 entry<InverseTimeDecay>(), entry<PiecewiseConstantDecay>(), entry<PolynomialDecay>()});
  return table;
}

}  // namespace

std::shared_ptr<const LearningRateSchedule> schedule_from_json(const json& value, const std::string& where) {
  auto [class_name, config] = split_class_and_config(value, where);
  return registry().make(class_name, config, where + ".class_name", where + ".config");
}

std::vector<std::string> schedule_class_names() { return registry().class_names(); }

void register_schedule(const std::string& class_name, ScheduleFactory factory) {
  registry().add({class_name, {}, std::move(factory)});
}

}  // namespace descent::optim
