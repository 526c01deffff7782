// What the reshaping layers share: their arguments read from and written to JSON, the sample-shape checks, and the
// copies that pad, crop and upsample a batch of images. In namespace nn::reshaping, so that these names can clash
// with no other family's helpers, and nn code's detail:: still means core's.
#pragma once

#include <descent/core/shape.hpp>
#include <descent/core/tensor.hpp>
#include <descent/nn/layers/reshaping/spatial_args.hpp>

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn::reshaping {

/// The largest size or margin an argument may name, and the largest axis a layer may produce: 2^31, as the model
/// reader's input shapes (so that sums and products of a few of them stay far from overflow).
inline constexpr Index kMaxDim = Index{1} << 31;

/// An integer JSON value in [low, high] (a whole number written as an integer), or nothing.
std::optional<Index> json_integer(const nlohmann::json& value, Index low, Index high);

/// `key` as an int n (n, n) or a pair [a, b]; `fallback` when absent or null. Throws naming the path otherwise.
Margins read_margins(ConfigReader& r, const char* key, Margins fallback);
/// `key` as an int, a pair [h, w] or a pair of pairs [[top, bottom], [left, right]] (each entry an int or a pair).
Margins2D read_margins_2d(ConfigReader& r, const char* key, Margins2D fallback);

/// As Keras writes them: [a, b]; [[top, bottom], [left, right]].
nlohmann::json to_json(const Margins& m);
nlohmann::json to_json(const Margins2D& m);

/// Throws "<where>: expected samples of shape <expected>; received samples of shape <shape>." unless shape has
/// `rank` axes.
void check_rank(const Shape& shape, std::size_t rank, const std::string& where, const char* expected);
/// Throws unless dim, an axis a layer would produce, is at most kMaxDim.
void check_output_dim(Index dim, const std::string& where, const char* axis);

/// A sample's (height, width, channels) axes; a 1-D layer's (steps, features) sample is (steps, 1, features).
struct Grid {
  Index height, width, channels;
  Index size() const { return height * width * channels; }
};

/// For each row (sample) of src and dst, whose values are images of src_grid and dst_grid: the window of `rows` x
/// `cols` pixels (all channels) at (src_top, src_left) of src is copied to (dst_top, dst_left) of dst. The rest of
/// dst is left as it was. Padding is the window of x written into a zeroed y; cropping the window of x read out;
/// each one's backward is the other.
void copy_window(const Matrix& src, const Grid& src_grid, Index src_top, Index src_left, Matrix& dst,
                 const Grid& dst_grid, Index dst_top, Index dst_left, Index rows, Index cols);

/// y = x with every pixel repeated sh times down and sw times across (nearest-neighbour upsampling):
/// y[h * sh + a][w * sw + b][c] = x[h][w][c]. y is resized.
void repeat_pixels(const Matrix& x, const Grid& grid, Index sh, Index sw, Matrix& y);
/// repeat_pixels' adjoint: dx[h][w][c] = the sum of dy over pixel (h, w)'s sh x sw copies. dx is resized.
void sum_repeats(const Matrix& dy, const Grid& grid, Index sh, Index sw, Matrix& dx);

}  // namespace descent::nn::reshaping
