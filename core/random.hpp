// Platform-independent random draws on Rng: the same seed gives the same numbers with any standard library.
#pragma once

#include "tensor.hpp"

#include <span>

namespace descent {

/// Uniform in [0, 1) from 53 random bits (std::uniform_real_distribution differs between libraries).
double uniform01(Rng& rng);
/// Standard normal by Box-Muller on uniform01.
double standard_normal(Rng& rng);
/// Uniform integer in [0, n), n > 0, without modulo bias.
std::uint64_t uniform_index(std::uint64_t n, Rng& rng);
/// Fisher-Yates shuffle in place.
void shuffle(std::span<Index> values, Rng& rng);
/// An independent seed for stream `stream` of `seed` (splitmix64), e.g. one shuffling seed per epoch.
std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t stream);

}  // namespace descent
