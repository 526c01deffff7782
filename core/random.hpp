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

/// Keras's keras.utils.set_random_seed: restarts the program's seed sequence, from which every model made without
/// an explicit seed takes its own, so that one call makes a whole program reproducible. The sequence starts at 42
/// in every run of a program, which is therefore reproducible from one execution to the next without any call.
void set_random_seed(std::uint64_t seed);
/// The next seed of the program's sequence: the program seed itself first (so a program's first model draws what
/// an explicit seed of 42 draws), then mix_seed(program seed, n) for the n-th. Thread-safe.
std::uint64_t next_random_seed();

}  // namespace descent
