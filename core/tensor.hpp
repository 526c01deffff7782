// The numeric types every module shares: Scalar, Matrix, Vector, Param, Rng.
#pragma once

#include <descent/core/error.hpp>
#include <descent/core/shape.hpp>

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

/// A weight with its gradient. `shape` is its Keras shape: {units} for a bias, {inputs, units} for a Dense kernel,
/// {kh, kw, in, out} for a Conv2D kernel. value and grad hold it as a matrix with the last axis as columns and the
/// others flattened in row-major order as rows (a vector {n} is 1 x n), so its bytes are in Keras's order.
/// The most elements one weight may have: 2^28, a 1 GiB float32 kernel.
inline constexpr Index kMaxWeightElements = Index{1} << 28;

template <class T>
struct BasicParam {
  std::string name;  ///< "kernel", "bias", ...
  MatrixT<T> value;
  MatrixT<T> grad;
  Shape shape;

  /// Gives the weight `weight_shape` and sizes value (unset: the layer's initializer fills it) and grad (zero) to it.
  /// A weight beyond kMaxWeightElements is an Error before anything is allocated (a config's "units": 2e7 is a
  /// typo, not a 4.9 GB kernel).
  void resize(Shape weight_shape) {
    Index rows = 1, elements = 1;
    for (std::size_t axis = 0; axis < weight_shape.rank(); ++axis) {
      check(elements == 0 || weight_shape[axis] <= kMaxWeightElements / elements, "weight '", name, "' of shape ",
            weight_shape.str(), ": more than the 2^28 elements Descent allocates for one weight.");
      elements *= weight_shape[axis];
      if (axis + 1 < weight_shape.rank()) rows *= weight_shape[axis];
    }
    const Index cols = weight_shape.empty() ? 1 : weight_shape.back();
    shape = std::move(weight_shape);
    value.resize(rows, cols);
    grad.setZero(rows, cols);
  }
};
using Param = BasicParam<Scalar>;

/// Features and targets, one row per sample.
struct Dataset {
  Matrix x;
  Matrix y;
};


}  // namespace descent
