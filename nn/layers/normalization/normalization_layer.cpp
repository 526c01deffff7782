// The step of a normalization layer's backward pass that does not depend on its statistics.
#include "normalization_layer.hpp"

#include <descent/core/error.hpp>

namespace descent::nn {

bool NormalizationLayer::backward_to_xhat(const Matrix& dy) {
  // class_name() makes a string: only on failure, since a training step allocates nothing.
  if (dy.rows() != xhat_.rows() || dy.cols() != xhat_.cols())
    fail(str(class_name(), " '", name_, "': backward expected dy of ", xhat_.rows(), " x ", xhat_.cols(),
             "; received ", dy.rows(), " x ", dy.cols(), "."));
  affine_.backward(xhat_, dy, dxhat_);
  return input_gradient_needed_;
}

}  // namespace descent::nn
