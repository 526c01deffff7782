// Monitor: mode resolution and the improvement test shared by the monitoring callbacks.
#include "monitor.hpp"

#include <descent/core/output.hpp>
#include <descent/core/error.hpp>
#include <descent/models/model.hpp>

#include <descent/metrics/metric.hpp>

#include <cmath>
#include <ostream>
#include <limits>

namespace descent::nn {

Monitor::Monitor(std::string owner, std::string key, std::string mode, double min_delta)
    : owner_(std::move(owner)), key_(std::move(key)), mode_(std::move(mode)), min_delta_(std::abs(min_delta)) {
  // Keras falls back to "auto" with a warning; a misspelled mode that silently flips direction is worse.
  check(mode_ == "auto" || mode_ == "min" || mode_ == "max", owner_, ": unknown mode. Expected \"auto\", \"min\" or ",
        "\"max\"; received mode=\"", mode_, "\".");
  check(std::isfinite(min_delta), owner_, ": expected a finite min_delta; received min_delta=", min_delta, ".");
  check(!key_.empty(), owner_, ": expected the name of a logged quantity as monitor; received an empty name.");
  higher_is_better_ = mode_ == "max";
}

void Monitor::resolve(Model& model, const FitParams& params) {
  warned_ = false;
  validating_ = params.validating;
  if (mode_ != "auto") return;
  const std::string name = key_.starts_with("val_") ? key_.substr(4) : key_;
  if (name == "loss") {
    higher_is_better_ = false;
    return;
  }
  std::string known = "loss";
  for (const auto& m : model.metrics()) {
    if (m->name() == name) {
      higher_is_better_ = m->higher_is_better();
      return;
    }
    known += ", " + m->name();
  }
  fail(str(owner_, ": cannot tell whether monitor=\"", key_, "\" should be minimized or maximized: the model logs ",
           known, " (and their val_ forms). Expected the name of one of them, or mode=\"min\" or mode=\"max\"."));
}

std::optional<double> Monitor::value(const Logs& logs) {
  if (auto it = logs.find(key_); it != logs.end()) return it->second;
  if (!awaiting_validation(logs) && !warned_) {
    std::string keys;
    for (const auto& [k, _] : logs) keys += (keys.empty() ? "" : ", ") + k;
    output() << owner_ << ": monitor=\"" << key_ << "\" is not in the logs, so this epoch is skipped. The logs hold: "
              << keys << ".\n";
    warned_ = true;
  }
  return std::nullopt;
}

bool Monitor::awaiting_validation(const Logs& logs) const {
  const auto first_val = logs.lower_bound("val_");
  const bool validated = first_val != logs.end() && first_val->first.starts_with("val_");
  return key_.starts_with("val_") && validating_ && !validated;
}

bool Monitor::improves(double current, double reference) const {
  return higher_is_better_ ? current - min_delta_ > reference : current + min_delta_ < reference;
}

double Monitor::worst() const {
  const double inf = std::numeric_limits<double>::infinity();
  return higher_is_better_ ? -inf : inf;
}

}  // namespace descent::nn
