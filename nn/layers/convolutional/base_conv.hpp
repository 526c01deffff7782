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
  BaseConv(std::size_t rank, Index filters, Tuple kernel_size, ConvOptions options);

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

  Index filters() const { return filters_; }
  const ConvOptions& options() const { return options_; }
  Param& kernel() { return kernel_; }
  Param& bias() { return bias_; }

  /// The most values one im2col buffer holds (16 MiB of float): larger batches are convolved in chunks of samples.
  static constexpr Index kColsBudget = Index{1} << 22;

 protected:
  void build_weights(const Shape& input_shape, Rng& rng) override;
  /// Reads the keys Conv1D and Conv2D share (`rank` says which); `filters` and `kernel_size` are set from the config.
  static ConvOptions read_options(ConfigReader& r, std::size_t rank, Index& filters, Tuple& kernel_size);

 private:
  Window2D window(const Shape& input_shape) const;
  Param* bias_or_null() { return options_.use_bias ? &bias_ : nullptr; }
  const Param* bias_or_null() const { return options_.use_bias ? &bias_ : nullptr; }
  const Matrix& output() const { return activation_->is_identity() || activation_->in_place() ? z_ : a_; }
  // Sets z_ to x's convolution plus bias, in z_'s (samples * positions, filters) shape.
  void convolve(const Matrix& x);
  // The weight and input gradients from dz (samples * positions x filters).
  const Matrix& backward_linear(ConstMatrixView dz);
  // cols for samples [first, first + count): a view of x for a pointwise kernel, else im2col into cols_.
  ConstMatrixView columns_of(const Matrix& x, Index first, Index count);

  std::size_t rank_;
  Index filters_;
  std::vector<Index> kernel_size_, strides_, dilation_;
  Padding padding_;
  ConvOptions options_;
  std::shared_ptr<const ActivationFunction> activation_;
  bool rowwise_activation_;  // softmax: over each position's filters, as Keras's softmax on the last axis
  KernelBias kernel_bias_;
  Param kernel_{"kernel"};
  Param bias_{"bias"};

  Window2D window_;       // for the built input shape
  bool pointwise_ = false;  // a 1 x 1 kernel, stride 1: x is its own cols
  Index chunk_ = 1;         // samples per im2col chunk
  double activity_penalty_ = 0.0;
  const Matrix* x_ = nullptr;
  Matrix cols_, dcols_;
  Matrix z_, a_, dx_, dy_;
};

}  // namespace descent::nn
