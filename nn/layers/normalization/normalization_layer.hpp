// NormalizationLayer: what BatchNormalization and LayerNormalization share around their statistics.
#pragma once

#include <descent/nn/layer.hpp>
#include "scale_offset.hpp"

#include <algorithm>
#include <vector>

namespace descent::nn {

/// y = gamma * xhat + beta over a normalized input xhat: the layer subclass computes xhat from its statistics
/// (the batch's or moving ones per feature, or each sample's), this base owns gamma and beta (ScaleOffset) with
/// their penalties and constraints, and the buffers forward and backward reuse.
class NormalizationLayer : public Layer {
 public:
  std::vector<Param*> params() override { return affine_.params(); }
  double regularization_loss() const override { return trainable_ ? affine_.penalty() : 0.0; }
  void apply_constraints() override { affine_.apply_constraints(); }

  Param& gamma() { return affine_.gamma(); }
  Param& beta() { return affine_.beta(); }

 protected:
  explicit NormalizationLayer(const ScaleOffsetSpec& spec) : affine_(spec) {}

  /// Builds gamma and beta for samples of `input_shape`, normalizing along `axis` (Keras's, of the batched input),
  /// which must be the last (the features, or an image's channels); returns the feature count. Each sample's
  /// positions (an image's pixels) then count as rows: statistics and gamma are per channel, as Keras's.
  Index build_affine(const Shape& input_shape, int axis, Rng& rng);
  /// x (or dy) seen as one row per position: (samples * positions, features), the same memory.
  Eigen::Map<const Matrix> rows_of(const Matrix& x) const {
    return {x.data(), x.rows() * positions_, affine_.features()};
  }
  /// Gives y_ and dx_ (computed one row per position) back their row per sample; allocates nothing.
  void to_sample_rows(Matrix& m, Index samples) const { m.resize(samples, m.size() / std::max<Index>(samples, 1)); }
  /// Checks dy against the last forward's xhat, sets gamma's and beta's gradients and dxhat_ = dy * gamma. Returns
  /// false when no input gradient is needed (the layer then returns none_).
  bool backward_to_xhat(const Eigen::Ref<const Matrix>& dy);

  ScaleOffset affine_;
  Index positions_ = 1;  // per sample: the product of the axes before the last
  Matrix xhat_, y_, dxhat_, dx_, none_;  // none_ stays empty: backward's result when no input gradient is needed
};

}  // namespace descent::nn
