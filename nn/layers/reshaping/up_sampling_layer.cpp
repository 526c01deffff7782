// UpSamplingLayer: output shapes, and forward / backward as a repeat and its adjoint sum.
#include "up_sampling_layer.hpp"

#include "detail/spatial.hpp"

#include <descent/core/error.hpp>

namespace descent::nn {

using reshaping::kMaxDim;

UpSamplingLayer::UpSamplingLayer(Index height_factor, Index width_factor, const char* layer, std::size_t rank,
                                 const char* axes)
    : sh_(height_factor), sw_(width_factor), rank_(rank), axes_(axes) {
  for (Index f : {sh_, sw_})
    check(f >= 1 && f <= kMaxDim, layer, ": invalid size. Expected positive integers (at most 2^31); received size=",
          rank_ == 2 ? str(sh_) : str("(", sh_, ", ", sw_, ")"), ".");
}

Shape UpSamplingLayer::compute_output_shape(const Shape& input_shape) const {
  reshaping::check_rank(input_shape, rank_, where(), axes_);
  const Index height = input_shape[0] * sh_;
  reshaping::check_output_dim(height, where(), rank_ == 2 ? "steps" : "height");
  if (rank_ == 2) return Shape{height, input_shape[1]};
  const Index width = input_shape[1] * sw_;
  reshaping::check_output_dim(width, where(), "width");
  return Shape{height, width, input_shape[2]};
}

void UpSamplingLayer::build_weights(const Shape& input_shape, Rng&) {
  compute_output_shape(input_shape);
  height_ = input_shape[0];
  width_ = rank_ == 2 ? 1 : input_shape[1];
  channels_ = input_shape.back();
}

const Matrix& UpSamplingLayer::forward(const Matrix& x, bool) {
  check_input(x);
  rows_ = x.rows();
  reshaping::repeat_pixels(x, {height_, width_, channels_}, sh_, sw_, y_);
  return y_;
}

const Matrix& UpSamplingLayer::backward(const Matrix& dy) {
  if (dy.rows() != rows_ || dy.cols() != y_.cols())
    fail(str(where(), ": backward expected dy of ", rows_, " x ", y_.cols(), "; received ", dy.rows(), " x ",
             dy.cols(), "."));
  if (!input_gradient_needed_) return none_;
  reshaping::sum_repeats(dy, {height_, width_, channels_}, sh_, sw_, dx_);
  return dx_;
}

}  // namespace descent::nn
