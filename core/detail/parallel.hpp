// Element-wise passes over a batch, cut into row blocks: blocks small enough to stay in cache between the steps of
// a fused pass, and shared among descent::num_threads() threads when the pass is large enough to repay the fork.
#pragma once

#include <descent/core/tensor.hpp>
#include <descent/core/threads.hpp>

#include <algorithm>

namespace descent::detail {

/// Below this many values a thread, a pass over a batch's activations costs more to hand out than it takes (relu
/// over 32k floats takes about as long as an OpenMP fork and join on the 2-core machine).
constexpr Index kActivationGrain = Index{1} << 15;
/// An optimizer's update runs on weights that stay in the cache of the thread that computed their gradient; handing
/// half of them to another core moves them back and forth every step (bench B4: half the speed at 2 threads), which
/// pays only once a weight matrix is far larger than the cache.
constexpr Index kUpdateGrain = Index{1} << 19;

/// Threads worth using for a pass over `elements` values, at least `grain` values a thread.
inline int threads_for_elements(Index elements, Index grain) {
  return static_cast<int>(std::clamp<Index>(elements / grain, 1, num_threads()));
}

/// Calls f(first_row, row_count) on consecutive blocks covering rows [0, rows) of a rows x cols matrix, each block
/// at most 16 KiB of Scalars, the blocks divided in order among threads_for_elements(rows * cols, grain) threads
/// (so that thread i works on the rows a product split over the same threads left in its cache). f must only touch
/// its own rows.
template <class F>
void for_row_blocks(Index rows, Index cols, F&& f, Index grain = kActivationGrain) {
  const Index block =
      std::max<Index>(1, (Index{16} << 10) / static_cast<Index>(sizeof(Scalar)) / std::max<Index>(cols, 1));
  const int threads = threads_for_elements(rows * cols, grain);
  if (threads == 1) {  // not an OpenMP region with if(false): libgomp mallocs a team of one for each such region
    for (Index first = 0; first < rows; first += block) f(first, std::min(block, rows - first));
    return;
  }
#pragma omp parallel for num_threads(threads) schedule(static)
  for (Index first = 0; first < rows; first += block) f(first, std::min(block, rows - first));
}

/// Calls f(i) for every i in [0, count), shared among `threads` threads when more than one: the per-sample passes of
/// the convolutions and pools (f must touch only sample i's rows). One thread runs a plain loop, for the same reason.
template <class F>
void parallel_for(Index count, int threads, F&& f) {
  if (threads <= 1) {
    for (Index i = 0; i < count; ++i) f(i);
    return;
  }
#pragma omp parallel for num_threads(threads) schedule(static)
  for (Index i = 0; i < count; ++i) f(i);
}

}  // namespace descent::detail
