#include "im2col.hpp"

#include <descent/core/detail/parallel.hpp>


#include <algorithm>
#include <cstring>

namespace descent::nn {
namespace {

// The input index along one axis that window tap k of output o reads, or -1 in padding.
inline Index source(const WindowAxis& a, Index o, Index k) {
  const Index i = o * a.stride - a.pad_before + k * a.dilation;
  return i >= 0 && i < a.input ? i : -1;
}

}  // namespace

void im2col(const Scalar* x, Index samples, const Window2D& w, Index groups, Scalar* cols) {
  const Index channels = w.channels, group_channels = channels / groups;
  const Index taps = w.rows.size * w.cols.size, row_width = taps * channels;
  const Index sample_in = w.inputs() * channels, sample_out = w.outputs() * row_width;
  descent::detail::parallel_for(samples, sample_threads(samples, sample_out), [&](Index n) {
    const Scalar* xs = x + n * sample_in;
    Scalar* out = cols + n * sample_out;
    for (Index oy = 0; oy < w.rows.output; ++oy)
      for (Index ox = 0; ox < w.cols.output; ++ox, out += row_width)
        for (Index ky = 0; ky < w.rows.size; ++ky) {
          const Index iy = source(w.rows, oy, ky);
          for (Index kx = 0; kx < w.cols.size; ++kx) {
            const Index ix = source(w.cols, ox, kx);
            const Index tap = ky * w.cols.size + kx;
            const bool padding = iy < 0 || ix < 0;
            const Scalar* in = padding ? nullptr : xs + (iy * w.cols.input + ix) * channels;
            for (Index g = 0; g < groups; ++g) {
              Scalar* dst = out + (g * taps + tap) * group_channels;
              if (padding)
                std::fill_n(dst, group_channels, Scalar(0));
              else
                std::memcpy(dst, in + g * group_channels, sizeof(Scalar) * static_cast<std::size_t>(group_channels));
            }
          }
        }
  });
}

void col2im(const Scalar* dcols, Index samples, const Window2D& w, Index groups, Scalar* dx) {
  const Index channels = w.channels, group_channels = channels / groups;
  const Index taps = w.rows.size * w.cols.size, row_width = taps * channels;
  const Index sample_in = w.inputs() * channels, sample_out = w.outputs() * row_width;
  descent::detail::parallel_for(samples, sample_threads(samples, sample_out), [&](Index n) {
    Scalar* dxs = dx + n * sample_in;
    std::fill_n(dxs, sample_in, Scalar(0));
    const Scalar* in = dcols + n * sample_out;
    for (Index oy = 0; oy < w.rows.output; ++oy)
      for (Index ox = 0; ox < w.cols.output; ++ox, in += row_width)
        for (Index ky = 0; ky < w.rows.size; ++ky) {
          const Index iy = source(w.rows, oy, ky);
          if (iy < 0) continue;
          for (Index kx = 0; kx < w.cols.size; ++kx) {
            const Index ix = source(w.cols, ox, kx);
            if (ix < 0) continue;
            const Index tap = ky * w.cols.size + kx;
            Scalar* out = dxs + (iy * w.cols.input + ix) * channels;
            for (Index g = 0; g < groups; ++g) {
              const Scalar* src = in + (g * taps + tap) * group_channels;
              Scalar* dst = out + g * group_channels;
              for (Index c = 0; c < group_channels; ++c) dst[c] += src[c];
            }
          }
        }
  });
}

}  // namespace descent::nn
