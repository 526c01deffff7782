// The numeric types every module shares: Scalar, Matrix, Vector, Param, Rng.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <random>
#include <span>
#include <string>

namespace descent {

/// The library's floating-point type: float (Keras's floatx), or double with -DDESCENT_DOUBLE=ON.
#ifdef DESCENT_SCALAR_DOUBLE
using Scalar = double;
#else
using Scalar = float;
#endif

using Index = Eigen::Index;

/// Row-major dense matrix of T: one row per sample, as in Keras, NumPy and CSV files.
template <class T>
using MatrixT = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using VectorT = Eigen::Matrix<T, Eigen::Dynamic, 1>;

using Matrix = MatrixT<Scalar>;
using Vector = VectorT<Scalar>;

/// One weight per sample of a batch (Keras sample_weight); empty means every sample weighs 1.
using SampleWeights = std::span<const Scalar>;

/// The weight of sample `i`: 1 without weights.
inline double sample_weight(SampleWeights weights, Index i) {
  return weights.empty() ? 1.0 : static_cast<double>(weights[static_cast<std::size_t>(i)]);
}

/// The only random engine: every random choice (initializers, shuffling, dropout, splits) draws from a seeded Rng.
using Rng = std::mt19937_64;

/// A trainable weight with its gradient, same shape. Vectors (biases) are stored as 1 x n.
template <class T>
struct BasicParam {
  std::string name;  ///< "kernel", "bias", ...
  MatrixT<T> value;
  MatrixT<T> grad;
  bool is_vector = false;  ///< saved with shape [n] rather than [1, n]
};
using Param = BasicParam<Scalar>;

/// Features and targets, one row per sample.
struct Dataset {
  Matrix x;
  Matrix y;
};


}  // namespace descent
