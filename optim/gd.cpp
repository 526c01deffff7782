// GD: SGD's rule with a whole-batch step and a tolerance stop.
#include "gd.hpp"

#include <descent/core/error.hpp>

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
      tolerance_(options.tolerance) {
  check(std::isfinite(tolerance_) && tolerance_ >= 0, "GD: expected tolerance >= 0; received tolerance=", tolerance_,
        ".");
  track_updates_ = true;
}

bool GD::converged() const { return iterations() > 0 && largest_update_ <= tolerance_; }

nlohmann::json GD::config() const {
  auto c = SGD::config();
  c["name"] = "GD";
  c["tolerance"] = tolerance_;
  return c;
}

}  // namespace descent::optim
