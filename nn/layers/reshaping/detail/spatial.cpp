// The reshaping layers' argument readers and writers, shape checks, and window and repeat copies. A sample is one
// row of the batch, its values in (height, width, channels) row-major order: the pixel (h, w) of an image of width
// W and C channels starts at (h * W + w) * C, and a run of pixels along a row of the image is contiguous.
#include "spatial.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>

namespace descent::nn::reshaping {

std::optional<Index> json_integer(const json& value, Index low, Index high) {
  if (value.is_number_unsigned()) {
    const std::uint64_t v = value.get<std::uint64_t>();
    if (high >= 0 && v <= static_cast<std::uint64_t>(high) && static_cast<Index>(v) >= low)
      return static_cast<Index>(v);
    return std::nullopt;
  }
  if (!value.is_number_integer()) return std::nullopt;
  const std::int64_t v = value.get<std::int64_t>();
  if (v < low || v > high) return std::nullopt;
  return static_cast<Index>(v);
}

namespace {

// An entry of an argument: any integer in [-2^31, 2^31] (the constructors check the sign, naming the layer).
std::optional<Index> entry(const json& value) { return json_integer(value, -kMaxDim, kMaxDim); }

// An int n as (n, n) or a pair [a, b].
std::optional<Margins> margins_of(const json& value) {
  if (auto n = entry(value)) return Margins(*n);
  if (!value.is_array() || value.size() != 2) return std::nullopt;
  auto a = entry(value[0]), b = entry(value[1]);
  if (!a || !b) return std::nullopt;
  return Margins(*a, *b);
}

}  // namespace

Margins read_margins(ConfigReader& r, const char* key, Margins fallback) {
  const json* v = r.find(key);
  if (!v) return fallback;
  std::optional<Margins> m = margins_of(*v);
  check_at(m.has_value(), r.path(key), "expected an integer or a pair of integers [before, after]; received ",
           v->dump(), ".");
  return *m;
}

Margins2D read_margins_2d(ConfigReader& r, const char* key, Margins2D fallback) {
  const json* v = r.find(key);
  if (!v) return fallback;
  if (auto n = entry(*v)) return Margins2D(*n);
  std::optional<Margins> height, width;
  if (v->is_array() && v->size() == 2) {
    height = margins_of((*v)[0]);
    width = margins_of((*v)[1]);
  }
  check_at(height && width, r.path(key),
           "expected an integer, a pair [height, width] or a pair of pairs [[top, bottom], [left, right]]; received ",
           v->dump(), ".");
  return Margins2D(*height, *width);
}

json to_json(const Margins& m) { return json::array({m.before, m.after}); }
json to_json(const Margins2D& m) { return json::array({to_json(m.height), to_json(m.width)}); }

void check_rank(const Shape& shape, std::size_t rank, const std::string& where, const char* expected) {
  if (shape.rank() != rank)
    fail(str(where, ": expected samples of shape ", expected, "; received samples of shape ", shape, "."));
}

void check_output_dim(Index dim, const std::string& where, const char* axis) {
  if (dim > kMaxDim) fail(str(where, ": the output's ", axis, " would be ", dim, ", more than 2^31."));
}

void copy_window(const Matrix& src, const Grid& src_grid, Index src_top, Index src_left, Matrix& dst,
                 const Grid& dst_grid, Index dst_top, Index dst_left, Index rows, Index cols) {
  const Index channels = src_grid.channels;
  const Index run = cols * channels;  // one image row of the window: contiguous in both
  for (Index n = 0; n < src.rows(); ++n) {
    const Scalar* from = src.data() + n * src.cols() + (src_top * src_grid.width + src_left) * channels;
    Scalar* to = dst.data() + n * dst.cols() + (dst_top * dst_grid.width + dst_left) * channels;
    for (Index r = 0; r < rows; ++r) std::copy_n(from + r * src_grid.width * channels, run, to + r * dst_grid.width * channels);
  }
}

void repeat_pixels(const Matrix& x, const Grid& grid, Index sh, Index sw, Matrix& y) {
  const Index channels = grid.channels;
  const Index out_width = grid.width * sw;
  const Index out_row = out_width * channels;  // values in one row of the output image
  y.resize(x.rows(), grid.height * sh * out_row);
  for (Index n = 0; n < x.rows(); ++n) {
    const Scalar* image = x.data() + n * x.cols();
    Scalar* out = y.data() + n * y.cols();
    for (Index h = 0; h < grid.height; ++h) {
      // Output row h * sh: each pixel of input row h, sw times; rows h * sh + 1 ... are copies of it.
      Scalar* first = out + h * sh * out_row;
      for (Index w = 0; w < grid.width; ++w)
        for (Index b = 0; b < sw; ++b)
          std::copy_n(image + (h * grid.width + w) * channels, channels, first + (w * sw + b) * channels);
      for (Index a = 1; a < sh; ++a) std::copy_n(first, out_row, first + a * out_row);
    }
  }
}

void sum_repeats(const Matrix& dy, const Grid& grid, Index sh, Index sw, Matrix& dx) {
  const Index channels = grid.channels;
  const Index out_row = grid.width * sw * channels;
  dx.setZero(dy.rows(), grid.size());
  for (Index n = 0; n < dy.rows(); ++n) {
    const Scalar* grad = dy.data() + n * dy.cols();
    Scalar* image = dx.data() + n * dx.cols();
    for (Index h = 0; h < grid.height; ++h)
      for (Index a = 0; a < sh; ++a) {
        const Scalar* row = grad + (h * sh + a) * out_row;
        for (Index w = 0; w < grid.width; ++w) {
          Scalar* pixel = image + (h * grid.width + w) * channels;
          for (Index b = 0; b < sw; ++b) {
            const Scalar* copy = row + (w * sw + b) * channels;
            for (Index c = 0; c < channels; ++c) pixel[c] += copy[c];
          }
        }
      }
  }
}

}  // namespace descent::nn::reshaping
