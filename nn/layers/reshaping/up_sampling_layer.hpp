// UpSamplingLayer: what UpSampling1D and UpSampling2D share: each value of a sample repeated along its spatial axes.
#pragma once

#include <descent/nn/layer.hpp>

namespace descent::nn {

/// Nearest-neighbour upsampling of a sample seen as an image (height, width, channels), a 1-D layer's (steps,
/// features) one of width 1: y[h * sh + a][w * sw + b][c] = x[h][w][c] for a < sh, b < sw; backward sums dy over
/// each pixel's sh x sw copies.
class UpSamplingLayer : public Layer {
 public:
  /// The input's shape with its spatial axes multiplied by the factors; an Error naming the layer and the shapes
  /// when the rank is not the layer's.
  Shape compute_output_shape(const Shape& input_shape) const override;
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;

 protected:
  /// Factors of the height and width (steps and 1 for UpSampling1D); `layer` names the class in messages, `rank` is
  /// the sample rank it takes (2 for UpSampling1D, 3 for UpSampling2D), `axes` its names.
  UpSamplingLayer(Index height_factor, Index width_factor, const char* layer, std::size_t rank, const char* axes);
  void build_weights(const Shape& input_shape, Rng& rng) override;

 private:
  Index sh_, sw_;  // the factors
  std::size_t rank_;
  const char* axes_;
  Index height_ = 0, width_ = 0, channels_ = 0;  // the built input as an image
  Index rows_ = 0;                               // of the last forward, to check dy
  Matrix y_, dx_;
  Matrix none_;  // stays empty: backward's result when no input gradient is needed
};

}  // namespace descent::nn
