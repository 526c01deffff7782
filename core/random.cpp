// Random draws on a seeded mt19937_64.
#include "random.hpp"

#include "error.hpp"

#include <cmath>
#include <mutex>
#include <numbers>
#include <utility>

namespace descent {

double uniform01(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

double standard_normal(Rng& rng) {
  double u1 = 0.0;
  while (u1 <= 0.0) u1 = uniform01(rng);
  double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::uint64_t uniform_index(std::uint64_t n, Rng& rng) {
  check(n > 0, "uniform_index: expected n > 0; received n=0.");
  const std::uint64_t limit = Rng::max() - (Rng::max() % n);  // reject the incomplete last block
  for (;;) {
    std::uint64_t r = rng();
    if (r < limit) return r % n;
  }
}

void shuffle(std::span<Index> values, Rng& rng) {
  for (std::size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[uniform_index(i, rng)]);
}

std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

namespace {
std::mutex program_seed_mutex;
std::uint64_t program_seed = 42;
std::uint64_t seeds_drawn = 0;
}  // namespace

void set_random_seed(std::uint64_t seed) {
  std::lock_guard lock(program_seed_mutex);
  program_seed = seed;
  seeds_drawn = 0;
}

std::uint64_t next_random_seed() {
  std::lock_guard lock(program_seed_mutex);
  const std::uint64_t n = seeds_drawn++;
  return n == 0 ? program_seed : mix_seed(program_seed, n);
}

}  // namespace descent
