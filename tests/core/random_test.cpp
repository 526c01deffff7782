// The seeded draws behind initializers, shuffling and splits: exact streams, ranges and distributions.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <descent/descent.hpp>
#include <map>
#include <numeric>
#include <set>

using namespace descent;

TEST_CASE("Rng is the standard mt19937_64") {
  // The C++ standard fixes the 10000th output of a default-constructed mt19937_64 ([rand.predef]).
  Rng rng;
  rng.discard(9999);
  CHECK(rng() == 9981545732273789042ULL);
}

TEST_CASE("uniform01 takes the top 53 bits, so it is in [0, 1) and the same on every platform") {
  Rng a(7), b(7);
  for (int i = 0; i < 1000; ++i) {
    double expected = static_cast<double>(b() >> 11) / 9007199254740992.0;  // 2^53
    double u = uniform01(a);
    REQUIRE(u == expected);
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
  }
  // Mean 1/2 and variance 1/12, within 5 standard errors for 100000 draws.
  Rng rng(1);
  const int n = 100000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    double u = uniform01(rng);
    sum += u;
    sum_sq += u * u;
  }
  double mean = sum / n, var = sum_sq / n - mean * mean;
  CHECK(std::abs(mean - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
  CHECK(std::abs(var - 1.0 / 12) < 1e-3);
}

TEST_CASE("standard_normal has mean 0, variance 1 and normal tails") {
  Rng rng(3);
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  int beyond_two = 0;
  for (int i = 0; i < n; ++i) {
    double z = standard_normal(rng);
    REQUIRE(std::isfinite(z));
    sum += z;
    sum_sq += z * z;
    beyond_two += std::abs(z) > 2;
  }
  double mean = sum / n, var = sum_sq / n - mean * mean;
  CHECK(std::abs(mean) < 5 / std::sqrt(double(n)));
  CHECK(std::abs(var - 1) < 5 * std::sqrt(2.0 / n));
  // P(|Z| > 2) = erfc(2 / sqrt 2) = 0.0455.
  double share = double(beyond_two) / n;
  double expected = std::erfc(2 / std::sqrt(2.0));
  CHECK(std::abs(share - expected) < 5 * std::sqrt(expected * (1 - expected) / n));
}

TEST_CASE("uniform_index covers [0, n) evenly") {
  Rng rng(11);
  CHECK(uniform_index(1, rng) == 0);
  const std::uint64_t n = 7;
  const int draws = 70000;
  std::vector<int> counts(n, 0);
  for (int i = 0; i < draws; ++i) {
    std::uint64_t k = uniform_index(n, rng);
    REQUIRE(k < n);
    ++counts[k];
  }
  // Chi-square with 6 degrees of freedom: 22.46 is its 0.999 quantile.
  double chi2 = 0, expected = double(draws) / n;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  CHECK(chi2 < 22.46);

  // A huge n, where modulo bias would be visible: n = 3 * 2^62 leaves 2^62 values of a 64-bit draw over.
  // Without rejection the lowest third of [0, n) would get twice its share.
  const std::uint64_t big = 3ULL << 62;
  int low = 0;
  const int m = 30000;
  for (int i = 0; i < m; ++i) low += uniform_index(big, rng) < (1ULL << 62);
  CHECK(std::abs(double(low) / m - 1.0 / 3) < 5 * std::sqrt(2.0 / 9 / m));
}

TEST_CASE("shuffle is a seeded, uniform permutation") {
  std::vector<Index> v(50);
  std::iota(v.begin(), v.end(), Index{0});
  std::vector<Index> a = v, b = v, c = v;
  Rng ra(5), rb(5), rc(6);
  shuffle(a, ra);
  shuffle(b, rb);
  shuffle(c, rc);
  CHECK(a == b);
  CHECK(a != c);
  CHECK(a != v);
  std::vector<Index> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == v);

  // All 6 orders of 3 items, each about 1/6 of the time (chi-square, 5 degrees of freedom, 0.999 quantile 20.52).
  std::map<std::vector<Index>, int> seen;
  Rng rng(8);
  const int n = 60000;
  for (int i = 0; i < n; ++i) {
    std::vector<Index> three = {0, 1, 2};
    shuffle(three, rng);
    ++seen[three];
  }
  CHECK(seen.size() == 6);
  double chi2 = 0, expected = n / 6.0;
  for (const auto& [order, count] : seen) chi2 += (count - expected) * (count - expected) / expected;
  CHECK(chi2 < 20.52);

  std::vector<Index> empty, one = {4};
  shuffle(empty, rng);
  shuffle(one, rng);
  CHECK(one == std::vector<Index>{4});
}

TEST_CASE("mix_seed is splitmix64: stream k is its (k+1)-th output") {
  // splitmix64 written out independently (Steele, Lea and Flood 2014; Vigna's reference code).
  auto splitmix = [](std::uint64_t& state) {
    state += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  for (std::uint64_t seed : {0ULL, 1ULL, 42ULL, 0xFFFFFFFFFFFFFFFFULL}) {
    std::uint64_t state = seed;
    for (std::uint64_t k = 0; k < 5; ++k) CHECK(mix_seed(seed, k) == splitmix(state));
  }
  // Distinct streams and seeds give distinct values.
  std::set<std::uint64_t> values;
  for (std::uint64_t s = 0; s < 20; ++s)
    for (std::uint64_t k = 0; k < 20; ++k) values.insert(mix_seed(s, k));
  CHECK(values.size() == 400);
}

TEST_CASE("uniform_index rejects an empty range") {
  Rng rng(1);
  CHECK_THROWS_WITH_AS(uniform_index(0, rng), doctest::Contains("expected n > 0; received n=0"), Error);
}
