// ElementwiseLayer: the checks and buffer sizes around an element-wise forward and backward.
#include "elementwise_layer.hpp"

#include <descent/core/error.hpp>

namespace descent::nn {

void ElementwiseLayer::start_forward(const Matrix& x) {
  check_input(x);
  x_ = &x;
  y_.resize(x.rows(), x.cols());
}

bool ElementwiseLayer::start_backward(const Matrix& dy) {
  // where() makes a string: only on failure, since a training step allocates nothing.
  if (x_ == nullptr || dy.rows() != y_.rows() || dy.cols() != y_.cols())
    fail(str(where(), ": backward expected dy of ", y_.rows(), " x ", y_.cols(), "; received ", dy.rows(), " x ",
             dy.cols(), "."));
  if (!input_gradient_needed_) return false;
  dx_.resize(dy.rows(), dy.cols());
  return true;
}

}  // namespace descent::nn
