// The six Keras learning-rate schedules and their JSON table.
// Formulas: keras/src/optimizers/schedules/learning_rate_schedule.py (Keras 3), evaluated in double.
#include "schedules.hpp"

#include <descent/optim/detail/option_checks.hpp>

#include <descent/core/config.hpp>

#include <cmath>
#include <functional>
#include <map>
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

// Step counts are integers in Keras configs; write them as such when they are.
json step_count(double steps) {
  if (steps == std::floor(steps) && std::abs(steps) < 9e15) return static_cast<std::int64_t>(steps);
  return steps;
}

// The cosine factor shared by CosineDecay and CosineDecayRestarts: (1 - alpha) * 0.5 * scale * (1 + cos(pi f)) + alpha.
double cosine(double fraction, double alpha, double scale = 1.0) {
  return (1 - alpha) * 0.5 * scale * (1 + std::cos(std::numbers::pi * fraction)) + alpha;
}

}  // namespace

// ---- ExponentialDecay ----

ExponentialDecay::ExponentialDecay(ExponentialDecayOptions options) : options_(std::move(options)) {
  check_initial("ExponentialDecay", options_.initial_learning_rate);
  check_steps("ExponentialDecay", "decay_steps", options_.decay_steps);
  check_option("ExponentialDecay", "decay_rate", options_.decay_rate, options_.decay_rate > 0, "decay_rate > 0");
}

double ExponentialDecay::operator()(double step) const {
  double p = step / options_.decay_steps;
  if (options_.staircase) p = std::floor(p);
  return options_.initial_learning_rate * std::pow(options_.decay_rate, p);
}

json ExponentialDecay::config() const {
  return {{"initial_learning_rate", options_.initial_learning_rate},
          {"decay_steps", step_count(options_.decay_steps)},
          {"decay_rate", options_.decay_rate},
          {"staircase", options_.staircase},
          {"name", options_.name}};
}

// ---- InverseTimeDecay ----

InverseTimeDecay::InverseTimeDecay(InverseTimeDecayOptions options) : options_(std::move(options)) {
  check_initial("InverseTimeDecay", options_.initial_learning_rate);
  check_steps("InverseTimeDecay", "decay_steps", options_.decay_steps);
  check_option("InverseTimeDecay", "decay_rate", options_.decay_rate, options_.decay_rate >= 0, "decay_rate >= 0");
}

double InverseTimeDecay::operator()(double step) const {
  double p = step / options_.decay_steps;
  if (options_.staircase) p = std::floor(p);
  return options_.initial_learning_rate / (1 + options_.decay_rate * p);
}

json InverseTimeDecay::config() const {
  return {{"initial_learning_rate", options_.initial_learning_rate},
          {"decay_steps", step_count(options_.decay_steps)},
          {"decay_rate", options_.decay_rate},
          {"staircase", options_.staircase},
          {"name", options_.name}};
}

// ---- PiecewiseConstantDecay ----

PiecewiseConstantDecay::PiecewiseConstantDecay(PiecewiseConstantDecayOptions options) : options_(std::move(options)) {
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

json PiecewiseConstantDecay::config() const {
  json boundaries = json::array();
  for (double b : options_.boundaries) boundaries.push_back(step_count(b));
  return {{"boundaries", boundaries}, {"values", options_.values}, {"name", options_.name}};
}

// ---- PolynomialDecay ----

PolynomialDecay::PolynomialDecay(PolynomialDecayOptions options) : options_(std::move(options)) {
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

json PolynomialDecay::config() const {
  return {{"initial_learning_rate", options_.initial_learning_rate},
          {"decay_steps", step_count(options_.decay_steps)},
          {"end_learning_rate", options_.end_learning_rate},
          {"power", options_.power},
          {"cycle", options_.cycle},
          {"name", options_.name}};
}

// ---- CosineDecay ----

CosineDecay::CosineDecay(CosineDecayOptions options) : options_(std::move(options)) {
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

json CosineDecay::config() const {
  return {{"initial_learning_rate", options_.initial_learning_rate},
          {"decay_steps", step_count(options_.decay_steps)},
          {"alpha", options_.alpha},
          {"name", options_.name},
          {"warmup_target", options_.warmup_target ? json(*options_.warmup_target) : json(nullptr)},
          {"warmup_steps", step_count(options_.warmup_steps)}};
}

// ---- CosineDecayRestarts ----

CosineDecayRestarts::CosineDecayRestarts(CosineDecayRestartsOptions options) : options_(std::move(options)) {
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

json CosineDecayRestarts::config() const {
  return {{"initial_learning_rate", options_.initial_learning_rate},
          {"first_decay_steps", step_count(options_.first_decay_steps)},
          {"t_mul", options_.t_mul},
          {"m_mul", options_.m_mul},
          {"alpha", options_.alpha},
          {"name", options_.name}};
}

// ---- JSON table: one line per schedule ----

namespace {

using Factory = std::function<std::shared_ptr<const LearningRateSchedule>(ConfigReader&)>;

std::vector<double> read_numbers(ConfigReader& r, const std::string& key) {
  std::vector<double> out;
  if (const json* v = r.find(key)) {
    check(v->is_array(), r.path(key), ": expected an array of numbers; received ", describe(*v), ".");
    for (std::size_t i = 0; i < v->size(); ++i) {
      check((*v)[i].is_number(), r.path(key), "[", i, "]: expected a number; received ", describe((*v)[i]), ".");
      out.push_back((*v)[i].get<double>());
    }
  }
  return out;
}

// Unknown keys are reported before the constructor's checks: a misspelled required key is the likelier mistake.
template <class Schedule, class Options>
std::shared_ptr<const LearningRateSchedule> make(const ConfigReader& r, Options options) {
  r.finish();
  return std::make_shared<const Schedule>(std::move(options));
}

const std::map<std::string, Factory>& schedules() {
  static const std::map<std::string, Factory> table = {
      {"ExponentialDecay", [](ConfigReader& r) {
         ExponentialDecayOptions o;
         r.read("initial_learning_rate", o.initial_learning_rate);
         r.read("decay_steps", o.decay_steps);
         r.read("decay_rate", o.decay_rate);
         r.read("staircase", o.staircase);
         r.read("name", o.name);
         return make<ExponentialDecay>(r, std::move(o));
       }},
      {"InverseTimeDecay", [](ConfigReader& r) {
         InverseTimeDecayOptions o;
         r.read("initial_learning_rate", o.initial_learning_rate);
         r.read("decay_steps", o.decay_steps);
         r.read("decay_rate", o.decay_rate);
         r.read("staircase", o.staircase);
         r.read("name", o.name);
         return make<InverseTimeDecay>(r, std::move(o));
       }},
      {"PiecewiseConstantDecay", [](ConfigReader& r) {
         PiecewiseConstantDecayOptions o;
         o.boundaries = read_numbers(r, "boundaries");
         o.values = read_numbers(r, "values");
         r.read("name", o.name);
         return make<PiecewiseConstantDecay>(r, std::move(o));
       }},
      {"PolynomialDecay", [](ConfigReader& r) {
         PolynomialDecayOptions o;
         r.read("initial_learning_rate", o.initial_learning_rate);
         r.read("decay_steps", o.decay_steps);
         r.read("end_learning_rate", o.end_learning_rate);
         r.read("power", o.power);
         r.read("cycle", o.cycle);
         r.read("name", o.name);
         return make<PolynomialDecay>(r, std::move(o));
       }},
      {"CosineDecay", [](ConfigReader& r) {
         CosineDecayOptions o;
         r.read("initial_learning_rate", o.initial_learning_rate);
         r.read("decay_steps", o.decay_steps);
         r.read("alpha", o.alpha);
         r.read("warmup_target", o.warmup_target);
         r.read("warmup_steps", o.warmup_steps);
         r.read("name", o.name);
         return make<CosineDecay>(r, std::move(o));
       }},
      {"CosineDecayRestarts", [](ConfigReader& r) {
         CosineDecayRestartsOptions o;
         r.read("initial_learning_rate", o.initial_learning_rate);
         r.read("first_decay_steps", o.first_decay_steps);
         r.read("t_mul", o.t_mul);
         r.read("m_mul", o.m_mul);
         r.read("alpha", o.alpha);
         r.read("name", o.name);
         return make<CosineDecayRestarts>(r, std::move(o));
       }},
  };
  return table;
}

}  // namespace

std::shared_ptr<const LearningRateSchedule> schedule_from_json(const json& value, const std::string& where) {
  auto [class_name, config] = split_class_and_config(value, where);
  auto it = schedules().find(class_name);
  if (it == schedules().end()) {
    std::string valid;
    for (const auto& [name, make] : schedules()) valid += (valid.empty() ? "" : ", ") + name;
    fail(str(where, ".class_name: unknown learning-rate schedule \"", class_name, "\". Valid schedules: ", valid,
             "."));
  }
  ConfigReader reader(config, where + ".config");
  return it->second(reader);
}


std::vector<std::string> schedule_class_names() {
  std::vector<std::string> names;
  for (const auto& [name, make] : schedules()) names.push_back(name);
  return names;
}

}  // namespace descent::optim
