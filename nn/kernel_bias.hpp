// The kernel-and-bias options Dense and the convolutions share: initializers, weight and activity regularizers,
// constraints. Made once from a layer's options struct, they answer the layer's penalty, gradient, constraint and
// config questions, so every such layer reads and writes these eight keys the same way.
#pragma once

#include <descent/core/config.hpp>
#include <descent/nn/constraints.hpp>
#include <descent/nn/initializers.hpp>
#include <descent/nn/regularizers.hpp>

#include <memory>
#include <optional>
#include <string>

namespace descent::nn {

class KernelBias {
 public:
  /// From an options struct with Keras's fields kernel_initializer, bias_initializer, kernel_regularizer,
  /// bias_regularizer, activity_regularizer, kernel_constraint and bias_constraint. Unknown names fail here, when the
  /// layer is made, not at build. `kernel` names the kernel's config keys: "kernel" (kernel_initializer, ...), or
  /// DepthwiseConv2D's "depthwise" (depthwise_initializer, ...).
  template <class Options>
  explicit KernelBias(const Options& o, std::string kernel = "kernel")
      : kernel_(std::move(kernel)),
        kernel_initializer_(get_initializer(o.kernel_initializer)),
        bias_initializer_(get_initializer(o.bias_initializer)),
        kernel_regularizer_(optional_regularizer(o.kernel_regularizer)),
        bias_regularizer_(optional_regularizer(o.bias_regularizer)),
        activity_regularizer_(optional_regularizer(o.activity_regularizer)),
        kernel_constraint_(optional_constraint(o.kernel_constraint)),
        bias_constraint_(optional_constraint(o.bias_constraint)) {}

  /// Reads the seven keys into `o` (initializers default to glorot_uniform and zeros, as every Keras layer here);
  /// `kernel` as in the constructor.
  template <class Options>
  static void read(ConfigReader& r, Options& o, const std::string& kernel = "kernel") {
    o.kernel_initializer = read_initializer(r, (kernel + "_initializer").c_str(), "glorot_uniform");
    o.bias_initializer = read_initializer(r, "bias_initializer", "zeros");
    read_regularizer(r, (kernel + "_regularizer").c_str(), o.kernel_regularizer);
    read_regularizer(r, "bias_regularizer", o.bias_regularizer);
    read_regularizer(r, "activity_regularizer", o.activity_regularizer);
    read_constraint(r, (kernel + "_constraint").c_str(), o.kernel_constraint);
    read_constraint(r, "bias_constraint", o.bias_constraint);
  }
  /// Writes the seven keys into a layer's config.
  void write(json& config) const;

  /// Fills a freshly sized kernel and (when not null) bias.
  void initialize(Param& kernel, Param* bias, Rng& rng) const;
  /// The weight penalties (for a trainable layer; Keras 3 counts penalties of trainable weights only) plus
  /// `activity_penalty`.
  double penalty(const Param& kernel, const Param* bias, bool trainable, double activity_penalty) const;
  /// Adds the weight penalties' gradients to kernel.grad and bias->grad.
  void add_penalty_gradients(Param& kernel, Param* bias) const;
  void apply_constraints(Param& kernel, Param* bias) const;
  /// The regularizer of the layer's output, or null.
  const Regularizer* activity_regularizer() const { return activity_regularizer_.get(); }

 private:
  static std::shared_ptr<Regularizer> optional_regularizer(const std::optional<RegularizerId>& id);
  static std::shared_ptr<Constraint> optional_constraint(const std::optional<ConstraintId>& id);
  static InitializerId read_initializer(ConfigReader& r, const char* key, const char* fallback);
  static void read_regularizer(ConfigReader& r, const char* key, std::optional<RegularizerId>& out);
  static void read_constraint(ConfigReader& r, const char* key, std::optional<ConstraintId>& out);

  std::string kernel_;
  std::shared_ptr<Initializer> kernel_initializer_, bias_initializer_;
  std::shared_ptr<Regularizer> kernel_regularizer_, bias_regularizer_, activity_regularizer_;
  std::shared_ptr<Constraint> kernel_constraint_, bias_constraint_;
};

}  // namespace descent::nn
