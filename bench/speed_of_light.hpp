// The "speed of light": a suite configuration trained by a hand-written Eigen loop with preallocated matrices and no
// framework, doing the work Descent's fit does (shuffle, gather, forward, loss, backward, update).
#pragma once

#include "suite_configs.hpp"

namespace bench {

/// One epoch over d (or one predict pass when c.inference) by the hand-written loop; returns the seconds taken,
/// excluding the one-time allocation of weights and buffers. Throws for a configuration without a loop (B8: see
/// Config::has_loop).
double speed_of_light_epoch(const Config& c, const descent::Dataset& d, int epoch);

}  // namespace bench
