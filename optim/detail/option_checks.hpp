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

}  // namespace descent::optim::detail
