// Shapes: x (n, in_positions * channels) seen as (n * in_positions, channels); W (taps * filters, channels);
// cols (chunk * in_positions, taps * filters); z = y (n * out_positions, filters) while computing.
#include "base_conv_transpose.hpp"

#include "detail/im2col.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace descent::nn {

BaseConvTranspose::BaseConvTranspose(std::size_t rank, Index filters, Tuple kernel_size, ConvOptions options)
    : BaseConv(rank, filters, std::move(kernel_size), std::move(options), 0, true) {
  if (!options_.output_padding) return;
  const std::string what = str("Conv", rank, "DTranspose(filters=", filters, ")");  // where() needs the subclass
  within(what, [&] { output_padding_ = options_.output_padding->expand(rank, "output_padding", 0); });
  for (std::size_t i = 0; i < rank; ++i)
    check(output_padding_[i] < strides_[i], what, ": output_padding=", output_padding_[i], " along axis ", i + 1,
          " must be less than the stride, ", strides_[i], ".");
}

Window2D BaseConvTranspose::window(const Shape& input_shape) const {
  check(input_shape.rank() == rank_ + 1, where(), ": expected samples of shape ",
        rank_ == 1 ? "(steps, channels)" : "(height, width, channels)", "; received samples of shape ", input_shape,
        ".");
  std::vector<Index> output;
  for (std::size_t i = 0; i < rank_; ++i) {
    const WindowAxis kernel{.size = kernel_size_[i], .stride = strides_[i], .dilation = dilation_[i]};
    output.push_back(transposed_length(input_shape[i], kernel, padding_,
                                       output_padding_.empty() ? std::nullopt : std::optional(output_padding_[i])));
  }
  output.push_back(filters_);
  const Shape output_shape(output);
  // The convolution over the output must come back to the input's positions; only an even window with "same"
  // padding and output_padding=0 misses (TensorFlow refuses the same shapes).
  Window2D w;
  bool matches = std::all_of(output.begin(), output.end() - 1, [](Index length) { return length > 0; });
  if (matches) {
    w = make_window(where(), output_shape, kernel_size_, strides_, dilation_, padding_);
    matches = (rank_ == 1 || w.rows.output == input_shape[0]) && w.cols.output == input_shape[rank_ - 1];
  }
  check(matches, where(), ": no output shape maps back onto input shape ", input_shape, " (output ", output_shape,
        " from kernel_size ", Shape(kernel_size_), ", strides ", Shape(strides_), ", padding=\"",
        padding_name(padding_), "\"); give output_padding another value or leave it unset.");
  return w;
}

Shape BaseConvTranspose::compute_output_shape(const Shape& input_shape) const {
  const Window2D w = window(input_shape);
  if (rank_ == 1) return Shape{w.cols.input, filters_};
  return Shape{w.rows.input, w.cols.input, filters_};
}

Shape BaseConvTranspose::kernel_shape(Index channels) const {
  std::vector<Index> shape = kernel_size_;
  shape.push_back(filters_);
  shape.push_back(channels);
  return Shape(shape);
}

void BaseConvTranspose::convolve(const Matrix& x) {
  const Index n = x.rows(), in_positions = window_.outputs(), channels = x.cols() / in_positions;
  const Index width = kernel_.value.rows(), out_values = window_.inputs() * filters_;
  const ConstMatrixView xs = view(x, n * in_positions, channels);
  z_.resize(n * window_.inputs(), filters_);
  cols_.resize(std::min(chunk_, n) * in_positions, width);
  for_each_chunk(n, [&](Index first, Index count) {
    gemm(sample_rows(xs, first, count, in_positions), false, view(kernel_.value), true,
         view(cols_, count * in_positions, width));
    col2im(cols_.data(), count, window_, 1, z_.data() + first * out_values);
  });
}

const Matrix& BaseConvTranspose::backward_linear(ConstMatrixView dz) {
  const Matrix& x = *x_;
  const Index n = x.rows(), in_positions = window_.outputs(), channels = x.cols() / in_positions;
  const Index width = kernel_.value.rows(), out_values = window_.inputs() * filters_;
  if (dz.stride != dz.cols) fail(str(where(), ": internal: dz must be contiguous."));  // where() only on failure
  const ConstMatrixView xs = view(x, n * in_positions, channels);
  if (input_gradient_needed_) dx_.resize(n, x.cols());
  for_each_chunk(n, [&](Index first, Index count) {
    im2col(dz.data + first * out_values, count, window_, 1, cols_.data());
    const ConstMatrixView dcols = view(cols_, count * in_positions, width);
    gemm(dcols, true, sample_rows(xs, first, count, in_positions), false, view(kernel_.grad), first > 0);
    if (input_gradient_needed_)
      gemm(dcols, false, view(kernel_.value), false,
           sample_rows(view(dx_, n * in_positions, channels), first, count, in_positions));
  });
  add_bias_and_penalty_gradients(dz);
  return dx_;
}

std::pair<Index, Tuple> BaseConvTranspose::read_config(ConfigReader& r, const char* class_name, std::size_t rank,
                                                       ConvOptions& options) {
  const Index filters = BaseConv::read_filters(r);
  Tuple kernel_size = 1;
  options = BaseConv::read_options(r, class_name, rank, kernel_size);
  if (const json* v = r.find("output_padding"); v && !v->is_null()) {
    Tuple output_padding = 0;
    read_tuple(r, "output_padding", output_padding);
    options.output_padding = output_padding;
  }
  r.finish();
  return {filters, std::move(kernel_size)};
}

}  // namespace descent::nn
