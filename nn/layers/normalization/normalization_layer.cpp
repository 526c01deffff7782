// The steps of a normalization layer that do not depend on its statistics: building gamma and beta, and the first step of backward.
#include "normalization_layer.hpp"

#include <descent/core/error.hpp>

namespace descent::nn {

Index NormalizationLayer::build_affine(const Shape& input_shape, int axis, Rng& rng) {
  const int last = static_cast<int>(input_shape.rank());  // the batched input's last axis
  check(axis == -1 || axis == last, where(), ": only the last axis is supported: expected axis=-1 or ", last,
        " for samples of shape ", input_shape, "; received axis=", axis, ".");
  positions_ = input_shape.size() / input_shape.back();
  affine_.build(input_shape.back(), rng);
  return input_shape.back();
}

bool NormalizationLayer::backward_to_xhat(const Eigen::Ref<const Matrix>& dy) {
  // where() makes a string: only on failure, since a training step allocates nothing.
  if (dy.rows() != xhat_.rows() || dy.cols() != xhat_.cols())
    fail(str(where(), ": backward expected dy of ", xhat_.rows(), " x ", xhat_.cols(),
             "; received ", dy.rows(), " x ", dy.cols(), "."));
  affine_.backward(xhat_, dy, dxhat_);
  return input_gradient_needed_;
}

}  // namespace descent::nn
