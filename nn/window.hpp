// Sliding windows: the geometry convolutions and pools share (kernel or pool size, strides, dilation, padding).
#pragma once

#include <descent/core/tensor.hpp>

#include <nlohmann/json_fwd.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras's "an integer or a tuple of integers" argument (kernel_size=3, strides=(2, 1)): one value for every
/// spatial axis, or one value each.
class Tuple {
 public:
  Tuple(Index value) : values_{value} {}
  Tuple(std::initializer_list<Index> values) : values_(values) {}
  explicit Tuple(std::vector<Index> values) : values_(std::move(values)) {}

  /// The values for `rank` axes: one value repeated, or exactly `rank` values, each at least `min`; otherwise an
  /// Error naming `option` ("kernel_size", "strides", ...).
  std::vector<Index> expand(std::size_t rank, const char* option, Index min = 1) const;
  const std::vector<Index>& values() const { return values_; }

 private:
  std::vector<Index> values_;
};

/// Reads `key` as an integer or a list of integers (Keras writes lists, TF.js sometimes a bare integer).
void read_tuple(ConfigReader& r, const char* key, Tuple& out);

/// Keras's padding modes. valid: windows lie inside the input. same: the input is padded with zeros so that
/// output = ceil(input / stride), the odd zero going after (TensorFlow's rule). causal (Conv1D): zeros before only,
/// dilation * (size - 1) of them, so output step t sees inputs up to t.
enum class Padding { valid, same, causal };
/// "valid", "same" or "causal" (when `causal_allowed`), case-insensitive as Keras; otherwise an Error.
Padding parse_padding(const std::string& text, bool causal_allowed);
std::string padding_name(Padding padding);

/// One spatial axis of a sliding window: which inputs output i sees. Output i's window starts at input
/// i * stride - pad_before and takes `size` inputs `dilation` apart; inputs outside [0, input) are zeros (a
/// convolution) or left out (a pool).
struct WindowAxis {
  Index input = 1, size = 1, stride = 1, dilation = 1;
  Index pad_before = 0, output = 1;

  /// The axis for `padding`. output is 0 (not an Error) when a "valid" window is wider than the input: the layer
  /// reports it with its name.
  static WindowAxis make(Index input, Index size, Index stride, Index dilation, Padding padding);
  /// The extent of one window: dilation * (size - 1) + 1.
  Index span() const { return dilation * (size - 1) + 1; }
};

/// A window over samples of shape (rows, cols, channels); a 1-D window (steps, channels) has one row.
struct Window2D {
  WindowAxis rows, cols;
  Index channels = 1;

  /// Output positions per sample.
  Index outputs() const { return rows.output * cols.output; }
  Index inputs() const { return rows.input * cols.input; }
};

/// The window of a layer of `rank` spatial axes (1 or 2) over samples of `input_shape` (rank + 1 axes, channels
/// last). Errors name `where` (the layer): a sample shape of the wrong rank, a window wider than the input.
Window2D make_window(const std::string& where, const Shape& input_shape, const std::vector<Index>& size,
                     const std::vector<Index>& strides, const std::vector<Index>& dilation, Padding padding);
/// The output length along one axis of a transposed convolution over `input` positions (Keras's
/// deconv_output_length): without output_padding, input * stride for "same" and input * stride + max(span - stride,
/// 0) for "valid"; with it, (input - 1) * stride + span - 2 * pad + output_padding, pad being span / 2 for "same"
/// and 0 for "valid". The convolution sliding over that many positions, with the same padding, has `input` outputs.
Index transposed_length(Index input, const WindowAxis& kernel, Padding padding, std::optional<Index> output_padding);
/// The window's output sample shape with `channels` channels: (rows, cols, channels) or, for rank 1, (steps, channels).
Shape window_output_shape(const Window2D& window, std::size_t rank, Index channels);

/// Threads for a pass over `samples` independent samples of `values_per_sample` values each: split once the pass
/// moves enough values to pay for the fork (64 Ki values a thread), never more threads than samples.
int sample_threads(Index samples, Index values_per_sample);

}  // namespace descent::nn
