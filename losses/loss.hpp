// Loss: the interface every loss implements. The loss owns the batch mean (Keras "sum_over_batch_size").
#pragma once

#include <descent/core/serializable.hpp>
#include <descent/core/tensor.hpp>

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>

namespace descent::losses {

/// A loss compares y_true with y_pred, both (samples x outputs) unless the loss says otherwise (sparse labels are
/// samples x 1). The per-sample loss is the mean over the output columns; the batch loss is the mean over samples.
class Loss : public Serializable {
 public:
  /// The Keras function name, "binary_crossentropy": the loss's name in configs and logs.
  virtual std::string name() const = 0;

  /// Sum over samples of the per-sample loss times the sample's weight, accumulated in double. Metrics average it
  /// across batches.
  double sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights = {}) const;
  /// The batch loss, Keras's "sum_over_batch_size": sum() / samples, whatever the weights add up to.
  double value(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights = {}) const;
  /// d value() / d y_pred without weights, including the 1/samples of the batch mean; `grad` is resized to
  /// y_pred's shape. Each sample's loss depends on its own row only, so weights scale the rows of this gradient.
  virtual void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const = 0;

  /// Columns y_true needs for a model with `outputs` output columns (sparse labels: 1).
  virtual Index target_columns(Index outputs) const { return outputs; }
  /// Throws unless y_true suits this loss: columns, and values (0..1 for binary cross-entropy, integer labels for
  /// sparse). `where` starts the message ("fit: y").
  virtual void check_targets(const Matrix& y_true, Index outputs, const std::string& where) const;

  /// The activation ("sigmoid", "softmax") whose output this loss can take in logits form, or "".
  virtual std::string fusable_activation() const { return ""; }
  /// The same loss computed from logits (from_logits = true), when fusable_activation() is set.
  virtual std::unique_ptr<Loss> logits_form() const { return nullptr; }

  /// The Keras config: name and reduction; a loss with options adds them (with_fields).
  nlohmann::json config() const override;

 protected:
  /// sum() once the weights' count is checked; `weights` is empty or holds one weight per row.
  virtual double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const = 0;
  /// Throws unless y_true and y_pred have the shapes this loss takes.
  void check_shapes(const Matrix& y_true, const Matrix& y_pred) const;
};


/// The backend epsilon: probabilities are clipped to [kEpsilon, 1 - kEpsilon] in the working precision,
/// which for float is [1e-7, 0.99999988] exactly as Keras and TF.js do.
inline constexpr Scalar kEpsilon = Scalar(1e-7);
inline constexpr Scalar kOneMinusEpsilon = Scalar(1.0 - 1e-7);

}  // namespace descent::losses
