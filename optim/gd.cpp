// GD: SGD's rule with a whole-batch step and a tolerance stop.
#include "gd.hpp"

#include <descent/core/config.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::optim {

GD::GD(GDOptions options)
    : SGD({.learning_rate = options.learning_rate,
           .momentum = options.momentum,
           .nesterov = options.nesterov,
           .weight_decay = options.weight_decay,
           .clipnorm = options.clipnorm,
           .clipvalue = options.clipvalue,
           .global_clipnorm = options.global_clipnorm},
          "GD"),
      options_(std::move(options)) {
  check(std::isfinite(options_.tolerance) && options_.tolerance >= 0,
        "GD: expected tolerance >= 0; received tolerance=", options_.tolerance, ".");
  track_updates_ = true;
}

bool GD::converged() const { return iterations() > 0 && largest_update_ <= options_.tolerance; }

nlohmann::json GD::config() const { return with_fields(base_config("GD"), options_); }

}  // namespace descent::optim
