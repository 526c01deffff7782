// The steps of a normalization layer that do not depend on its statistics: building gamma and beta, and the first step of backward.
#include "normalization_layer.hpp"

#include <descent/core/error.hpp>

namespace descent::nn {

Index NormalizationLayer::build_affine(const Shape& input_shape, Rng& rng) {
  check(input_shape.rank() == 1, where(), ": takes samples of one axis (features) so far; received ",
        "samples of shape ", input_shape, ".");
  affine_.build(input_shape[0], rng);
  return input_shape[0];
}

bool NormalizationLayer::backward_to_xhat(const Matrix& dy) {
  // where() makes a string: only on failure, since a training step allocates nothing.
  if (dy.rows() != xhat_.rows() || dy.cols() != xhat_.cols())
    fail(str(where(), ": backward expected dy of ", xhat_.rows(), " x ", xhat_.cols(),
             "; received ", dy.rows(), " x ", dy.cols(), "."));
  affine_.backward(xhat_, dy, dxhat_);
  return input_gradient_needed_;
}

}  // namespace descent::nn
