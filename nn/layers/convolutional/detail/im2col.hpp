// im2col and col2im: a convolution as one matrix product. Each output position becomes a row holding the input values
// its window sees, so that (rows x window values) * (window values x filters) is the convolution of every position.
#pragma once

#include <descent/core/matmul.hpp>
#include <descent/nn/window.hpp>

namespace descent::nn {

/// The samples of a chunk: rows [first * rows_per_sample, ...) of a view whose rows are positions.
template <class T>
MatrixViewT<T> sample_rows(MatrixViewT<T> v, Index first, Index count, Index rows_per_sample) {
  return {v.data + first * rows_per_sample * v.stride, count * rows_per_sample, v.cols, v.stride};
}

/// Writes the window rows of `samples` samples starting at x (each w.inputs() * w.channels values, channels last)
/// into cols: row (sample, out_row, out_col), column ((group * rows.size + ky) * cols.size + kx) * group_channels + c,
/// zeros where the window reaches into padding. Group-major columns put each group's block side by side, so that a
/// grouped convolution multiplies contiguous column blocks by the kernel's rows (kh, kw, in / groups) in Keras order.
void im2col(const Scalar* x, Index samples, const Window2D& w, Index groups, Scalar* cols);

/// The transpose of im2col: sums the window rows of dcols back into dx (overwritten), each value to the input it
/// came from; padding positions are dropped.
void col2im(const Scalar* dcols, Index samples, const Window2D& w, Index groups, Scalar* dx);

}  // namespace descent::nn
