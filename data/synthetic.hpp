// Seeded synthetic classification sets for examples and tests: xor, moons, circles, blobs, spirals.
#pragma once

#include <descent/core/tensor.hpp>

#include <cstdint>

namespace descent::data {

// Every set returns x (samples x features) and y (samples x 1, class indices 0..k-1), rows shuffled with the seed,
// so a validation split from the end holds every class. The same options give the same numbers on every platform.
// Field order is API in each options struct: only append.

struct XorOptions {
  Index samples = 200;
  double noise = 0.0;  ///< standard deviation of Gaussian jitter added to the points after labelling
  std::uint64_t seed = 42;
};
/// Points uniform in [-1, 1]^2; class 1 where exactly one coordinate is positive (x0 * x1 < 0).
Dataset make_xor(XorOptions options = {});

struct MoonsOptions {
  Index samples = 100;
  double noise = 0.0;
  std::uint64_t seed = 42;
};
/// Two interleaving half circles, as scikit-learn's make_moons: class 0 on (cos t, sin t), class 1 on
/// (1 - cos t, 0.5 - sin t), t evenly spaced in [0, pi].
Dataset make_moons(MoonsOptions options = {});

struct CirclesOptions {
  Index samples = 100;
  double noise = 0.0;
  double factor = 0.8;  ///< inner radius / outer radius, in (0, 1)
  std::uint64_t seed = 42;
};
/// Two concentric circles, as scikit-learn's make_circles: class 0 on the unit circle, class 1 on radius factor.
Dataset make_circles(CirclesOptions options = {});

struct BlobsOptions {
  Index samples = 100;
  Index centers = 3;
  Index features = 2;
  double cluster_std = 1.0;
  std::uint64_t seed = 42;
};
/// Isotropic Gaussian clusters, as scikit-learn's make_blobs: centers uniform in [-10, 10]^features, samples shared
/// out as evenly as possible (the first clusters get one more).
Dataset make_blobs(BlobsOptions options = {});

struct SpiralsOptions {
  Index samples = 300;
  Index classes = 3;
  double noise = 0.2;  ///< standard deviation of Gaussian jitter on each point's angle
  std::uint64_t seed = 42;
};
/// Interleaved spiral arms, one per class (the CS231n set): arm k has radius r evenly spaced in [0, 1] and angle
/// 4k + 4r (radians) plus noise; the point is r * (sin angle, cos angle).
Dataset make_spirals(SpiralsOptions options = {});

}  // namespace descent::data
