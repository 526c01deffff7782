// BaseConvTranspose: Conv1DTranspose and Conv2DTranspose, the transpose (the input gradient) of a convolution.
#pragma once

#include "base_conv.hpp"

namespace descent::nn {

/// The transposed convolution: the linear map whose matrix is the transpose of a convolution's, so that it spreads
/// each input position over a window of the output, as Keras's Conv2DTranspose (TensorFlow's conv2d_transpose).
/// Kernel (k..., filters, channels), Keras's layout. Output length per axis: transposed_length().
///
/// The window here slides over the output, whose positions are the window's inputs. Forward, per chunk of samples:
/// cols = x Wᵀ ((positions, channels) times (channels, taps * filters): every input position's contribution to each
/// tap of its window), y = col2im(cols) + b. Backward: dcols = im2col(dy), dW = dcolsᵀ x, dx = dcols W.
class BaseConvTranspose : public BaseConv {
 public:
  BaseConvTranspose(std::size_t rank, Index filters, Tuple kernel_size, ConvOptions options);

  Shape compute_output_shape(const Shape& input_shape) const override;

 protected:
  /// Reads a Conv1DTranspose / Conv2DTranspose config.
  static std::pair<Index, Tuple> read_config(ConfigReader& r, const char* class_name, std::size_t rank,
                                             ConvOptions& options);

 private:
  Window2D window(const Shape& input_shape) const override;
  Shape kernel_shape(Index channels) const override;
  Index output_positions() const override { return window_.inputs(); }
  void convolve(const Matrix& x) override;
  const Matrix& backward_linear(ConstMatrixView dz) override;

  std::vector<Index> output_padding_;  // empty: unset
};

}  // namespace descent::nn
