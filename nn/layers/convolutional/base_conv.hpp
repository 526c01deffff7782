// BaseConv: Conv1D and Conv2D, y = activation(conv(x, W) + b), as one matrix product per chunk of samples.
#pragma once

#include <descent/core/matmul.hpp>
#include <descent/nn/activations.hpp>
#include <descent/nn/constraints.hpp>
#include <descent/nn/kernel_bias.hpp>
#include <descent/nn/initializers.hpp>
#include <descent/nn/layer.hpp>
#include <descent/nn/regularizers.hpp>
#include <descent/nn/window.hpp>

#include <memory>
#include <optional>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras Conv1D / Conv2D keyword arguments after filters and kernel_size, with Keras's defaults. Field order is API:
/// only append. data_format is channels_last only (a config asking for channels_first is an Error).
struct ConvOptions {
  Tuple strides = 1;
  std::string padding = "valid";  ///< "valid", "same", or "causal" (Conv1D)
  /// Conv1DTranspose / Conv2DTranspose only (Keras's place for it): extra outputs after the last window along each
  /// axis, each less than its stride; unset, the output length follows from the padding alone.
  std::optional<Tuple> output_padding;
  Tuple dilation_rate = 1;
  Index groups = 1;  ///< input channels and filters split into this many independent convolutions
  std::string activation = "linear";
  bool use_bias = true;
  InitializerId kernel_initializer = "glorot_uniform";
  InitializerId bias_initializer = "zeros";
  std::optional<RegularizerId> kernel_regularizer;
  std::optional<RegularizerId> bias_regularizer;
  std::optional<RegularizerId> activity_regularizer;
  std::optional<ConstraintId> kernel_constraint;
  std::optional<ConstraintId> bias_constraint;
  std::string name;
};

/// A convolution over `rank` spatial axes (1: samples (steps, channels); 2: (height, width, channels)) with a kernel
/// of Keras's shape (k..., channels / groups, filters).
///
/// Forward, per chunk of samples: cols = im2col(x) (one row per output position), z = cols W + b (for groups,
/// each group's column block times its filters), y = activation(z); z viewed as (samples, positions * filters) is
/// the output in channels_last order. Backward: dW = colsᵀ dz, db = sum of dz's rows, dcols = dz Wᵀ, dx =
/// col2im(dcols). Chunks bound the im2col buffer (kColsBudget values); a 1 x 1 kernel with stride 1 skips it, x
/// being its own cols.
class BaseConv : public Layer {
 public:
  /// depth_multiplier > 0 makes a depthwise convolution (DepthwiseConv2D): groups = channels and filters = channels
  /// * depth_multiplier, both known at build, kernel (k..., channels, depth_multiplier), `filters` unused. Its kernel
  /// holds the same values, in the same order, as the grouped kernel (k..., 1, channels * depth_multiplier).
  /// `transposed`: the transposed convolution (BaseConvTranspose), which alone takes output_padding.
  BaseConv(std::size_t rank, Index filters, Tuple kernel_size, ConvOptions options, Index depth_multiplier = 0,
           bool transposed = false);

  Shape compute_output_shape(const Shape& input_shape) const override;
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  std::vector<Param*> params() override;
  nlohmann::json config() const override;
  double regularization_loss() const override;
  void apply_constraints() override;

  std::string final_activation() const override;
  const Matrix& logits() const override { return z_; }
  const Matrix& backward_from_logits(const Matrix& dz) override;

  /// Output channels (for a depthwise convolution, 0 before build).
  Index filters() const { return filters_; }
  const ConvOptions& options() const { return options_; }
  Param& kernel() { return kernel_; }
  Param& bias() { return bias_; }

  /// Reads `kernel_size` and the keys every convolution shares (`rank` says how many axes); `kernel` names the
  /// kernel's keys ("kernel_initializer", "depthwise_initializer", ...). The caller reads its own keys and finishes.
  static ConvOptions read_options(ConfigReader& r, const char* class_name, std::size_t rank, Tuple& kernel_size,
                                  const char* kernel = "kernel");
  /// "filters", a positive integer.
  static Index read_filters(ConfigReader& r);

  /// The most values one im2col buffer holds (1 MiB of float, about a core's L2 cache): larger batches are convolved
  /// in chunks of samples, each chunk's columns written and multiplied while they are still in the cache, and made
  /// again in backward. On bench B6 and B7 at one thread this is 8 % and 22 % faster than 16 MiB chunks.
  static constexpr Index kColsBudget = Index{1} << 18;

 protected:
  void build_weights(const Shape& input_shape, Rng& rng) override;

  // The geometry, which the transposed convolutions turn around: the window that slides over the input (for a
  // transposed convolution, over its output), the kernel's shape, and output positions per sample.
  virtual Window2D window(const Shape& input_shape) const;
  virtual Shape kernel_shape(Index channels) const;
  virtual Index output_positions() const { return window_.outputs(); }
  // Sets z_ to x's convolution, in the (samples * positions, filters) shape, and back: the weight and input
  // gradients from dz (samples * positions x filters).
  virtual void convolve(const Matrix& x);
  virtual const Matrix& backward_linear(ConstMatrixView dz);
  // The bias gradient (the sum of dz's rows) and the regularizers' gradients, after the kernel's and x's.
  void add_bias_and_penalty_gradients(ConstMatrixView dz);
  // Chunks of `chunk_` samples: [first, first + count) for each.
  template <class Body>
  void for_each_chunk(Index n, Body&& body) const {
    for (Index first = 0; first < n; first += chunk_) body(first, std::min(chunk_, n - first));
  }

  std::size_t rank_;
  bool transposed_;
  Index filters_;
  std::vector<Index> kernel_size_, strides_, dilation_;
  Padding padding_;
  ConvOptions options_;
  KernelBias kernel_bias_;
  Param kernel_{"kernel"};
  Param bias_{"bias"};
  Window2D window_;  // for the built input shape
  Index chunk_ = 1;  // samples per im2col chunk
  const Matrix* x_ = nullptr;
  Matrix cols_;
  Matrix z_, dx_;

 private:
  Param* bias_or_null() { return options_.use_bias ? &bias_ : nullptr; }
  const Param* bias_or_null() const { return options_.use_bias ? &bias_ : nullptr; }
  const Matrix& output() const { return activation_->is_identity() || activation_->in_place() ? z_ : a_; }
  // The kernel as (window values of one group, filters): for a depthwise kernel, (taps, channels * multiplier).
  ConstMatrixView kernel_matrix() const;
  MatrixView kernel_gradient();
  // cols for samples [first, first + count): a view of x for a pointwise kernel, else im2col into cols_.
  ConstMatrixView columns_of(const Matrix& x, Index first, Index count);

  Index depth_multiplier_;
  Index groups_;  // options_.groups, or the channels of a depthwise convolution
  std::shared_ptr<const ActivationFunction> activation_;
  bool rowwise_activation_;  // softmax: over each position's filters, as Keras's softmax on the last axis
  Index positions_ = 1;      // output positions per sample
  bool pointwise_ = false;   // a 1 x 1 kernel, stride 1: x is its own cols
  double activity_penalty_ = 0.0;
  Matrix a_, dy_;
};

}  // namespace descent::nn
