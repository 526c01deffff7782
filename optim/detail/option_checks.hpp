// One check for the numeric options of optimizers and schedules, with the house error message.
#pragma once

#include <descent/core/error.hpp>

#include <cmath>
#include <string>

namespace descent::optim::detail {

/// Throws "<where>: bad <name>. Expected <rule>; received <name>=<value>." unless `ok` holds and value is finite.
/// A NaN is reported as missing, because the options structs mark required Keras arguments with NaN.
inline void check_option(const std::string& where, const char* name, double value, bool ok, const char* rule) {
  if (std::isnan(value))
    fail(str(where, ": ", name, " is missing or NaN. Expected ", rule, "; received ", name, "=nan."));
  if (!ok || !std::isfinite(value))
    fail(str(where, ": bad ", name, ". Expected ", rule, "; received ", name, "=", value, "."));
}

/// The moment options Adam, Adamax and Nadam share: 0 <= beta_1, beta_2 < 1 and epsilon >= 0.
template <class Options>
void check_moment_options(const std::string& where, const Options& o) {
  check_option(where, "beta_1", o.beta_1, o.beta_1 >= 0 && o.beta_1 < 1, "0 <= beta_1 < 1");
  check_option(where, "beta_2", o.beta_2, o.beta_2 >= 0 && o.beta_2 < 1, "0 <= beta_2 < 1");
  check_option(where, "epsilon", o.epsilon, o.epsilon >= 0, "epsilon >= 0");
}

}  // namespace descent::optim::detail
