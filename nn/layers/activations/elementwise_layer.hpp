// ElementwiseLayer: what ReLU, LeakyReLU, PReLU and ELU share: y = f(x) and dx = f'(x) * dy, element by element.
#pragma once

#include <descent/nn/layer.hpp>

namespace descent::nn {

/// A layer applying f to each value of its input. The input is kept by address for backward (it belongs to the
/// previous layer or the model and lives until the next forward), y and dx are the layer's own buffers, resized only
/// when the batch size changes.
class ElementwiseLayer : public Layer {
 protected:
  /// Checks x against the built shape, remembers it and sizes y_ to it.
  void start_forward(const Matrix& x);
  /// Checks dy against the last forward and sizes dx_ to it; false when no input gradient is needed (backward then
  /// returns none_).
  bool start_backward(const Matrix& dy);

  const Matrix* x_ = nullptr;  // input of the last forward
  Matrix y_, dx_;
  Matrix none_;  // stays empty: backward's result when no input gradient is needed
};

}  // namespace descent::nn
