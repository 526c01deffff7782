#include "window.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/core/threads.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace descent::nn {

std::vector<Index> Tuple::expand(std::size_t rank, const char* option, Index min) const {
  check(values_.size() == 1 || values_.size() == rank, option, ": expected an integer or ", rank,
        " integers; received ", values_.size(), " values.");
  std::vector<Index> out(rank, values_[0]);
  if (values_.size() == rank) out = values_;
  for (Index v : out)
    check(v >= min, option, ": expected values of at least ", min, "; received ", v, ".");
  return out;
}

void read_tuple(ConfigReader& r, const char* key, Tuple& out) {
  const json* v = r.find(key);
  if (!v) return;
  auto integer = [&](const json& e) {
    check_at(e.is_number_integer(), r.path(key), "expected an integer or a list of integers; received ", describe(*v),
             ".");
    return e.get<Index>();
  };
  if (!v->is_array()) {
    out = Tuple(integer(*v));
    return;
  }
  check_at(!v->empty() && v->size() <= 3, r.path(key), "expected 1 to 3 integers; received ", describe(*v), ".");
  std::vector<Index> values;
  for (const json& e : *v) values.push_back(integer(e));
  out = Tuple(std::move(values));
}

Padding parse_padding(const std::string& text, bool causal_allowed) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "valid") return Padding::valid;
  if (lower == "same") return Padding::same;
  if (lower == "causal" && causal_allowed) return Padding::causal;
  fail(str("padding: expected ", causal_allowed ? "\"valid\", \"same\" or \"causal\"" : "\"valid\" or \"same\"",
           "; received \"", text, "\"."));
}

std::string padding_name(Padding padding) {
  switch (padding) {
    case Padding::valid: return "valid";
    case Padding::same: return "same";
    case Padding::causal: return "causal";
  }
  return "valid";
}

// valid:  output = floor((input - span) / stride) + 1, no padding.
// same:   output = ceil(input / stride); the window positions need (output - 1) * stride + span inputs, and the
//         missing ones are zeros, half before (rounded down) and the rest after.
// causal: dilation * (size - 1) zeros before, then valid: output = floor((input - 1) / stride) + 1.
WindowAxis WindowAxis::make(Index input, Index size, Index stride, Index dilation, Padding padding) {
  WindowAxis a{.input = input, .size = size, .stride = stride, .dilation = dilation};
  const Index span = a.span();
  switch (padding) {
    case Padding::valid:
      a.output = input >= span ? (input - span) / stride + 1 : 0;
      break;
    case Padding::same:
      a.output = (input + stride - 1) / stride;
      a.pad_before = std::max<Index>((a.output - 1) * stride + span - input, 0) / 2;
      break;
    case Padding::causal:
      a.pad_before = span - 1;
      a.output = (input - 1) / stride + 1;
      break;
  }
  return a;
}

Window2D make_window(const std::string& where, const Shape& input_shape, const std::vector<Index>& size,
                     const std::vector<Index>& strides, const std::vector<Index>& dilation, Padding padding) {
  const std::size_t rank = size.size();
  check(input_shape.rank() == rank + 1, where, ": expected samples of shape ",
        rank == 1 ? "(steps, channels)" : "(height, width, channels)", "; received samples of shape ", input_shape,
        rank == 1 ? "." : ". Declare the input as Input({height, width, channels}) or Reshape it first.");
  Window2D w;
  w.channels = input_shape.back();
  const std::size_t first = rank == 2 ? 0 : 1;  // a 1-D window runs along the columns of a one-row image
  WindowAxis* axes[] = {&w.rows, &w.cols};
  for (std::size_t i = 0; i < rank; ++i) {
    *axes[first + i] = WindowAxis::make(input_shape[i], size[i], strides[i], dilation[i], padding);
    check(axes[first + i]->output > 0, where, ": a window of ", axes[first + i]->span(), " along axis ", i + 1,
          " is larger than the input's ", input_shape[i], " with padding=\"valid\" (input shape ", input_shape,
          "); use a smaller window or padding=\"same\".");
  }
  return w;
}

Index transposed_length(Index input, const WindowAxis& kernel, Padding padding, std::optional<Index> output_padding) {
  const Index span = kernel.span(), stride = kernel.stride;
  if (!output_padding) return padding == Padding::same ? input * stride : input * stride + std::max<Index>(span - stride, 0);
  const Index pad = padding == Padding::same ? span / 2 : 0;
  return (input - 1) * stride + span - 2 * pad + *output_padding;
}

Shape window_output_shape(const Window2D& window, std::size_t rank, Index channels) {
  if (rank == 1) return Shape{window.cols.output, channels};
  return Shape{window.rows.output, window.cols.output, channels};
}

int sample_threads(Index samples, Index values_per_sample) {
  constexpr Index kMinValuesPerThread = Index{1} << 16;
  const Index by_work = std::max<Index>(1, samples * values_per_sample / kMinValuesPerThread);
  return static_cast<int>(std::min<Index>({num_threads(), samples, by_work}));
}

}  // namespace descent::nn
