// Metric: a stateful accumulator of (y_true, y_pred) batches whose result is exact over an epoch (Keras metrics/).
#pragma once

#include <descent/core/serializable.hpp>
#include <descent/core/tensor.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace descent::metrics {

/// Call reset(), then update() once per batch; result() is the value over every sample seen, not a mean of batch
/// means, so a smaller last batch weighs what it should.
class Metric : public Serializable {
 public:
  /// The key in logs and History: "accuracy", "binary_accuracy", "mse", ...
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

  /// Adds a batch. With `weights` (one per row; Keras's sample_weight) each sample counts that many times.
  void update(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights = {});
  virtual double result() const = 0;
  virtual void reset() = 0;
  /// Keras config: {"name", "dtype"} and the metric's own options.
  nlohmann::json config() const override;
  /// Keras's metric direction: true when larger values are better (accuracy, AUC), false for errors and losses.
  /// Callbacks monitoring in mode "auto" go by it.
  virtual bool higher_is_better() const { return false; }

 protected:
  /// update() once the weights' count is checked: `weights` is empty or holds one weight per row.
  virtual void update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) = 0;

  std::string name_;
};


/// The weighted mean of a per-sample value over all samples seen (Keras MeanMetricWrapper): sum of weight times
/// value over sum of weights, accumulated in double.
class MeanMetric : public Metric {
 public:
  double result() const override { return count_ == 0 ? 0.0 : total_ / count_; }
  void reset() override { total_ = count_ = 0.0; }

 protected:
  /// Adds `sum`, the weighted sum of the per-sample values of a batch of `samples` rows with these weights.
  void add(double sum, Index samples, SampleWeights weights) {
    total_ += sum;
    if (weights.empty()) {
      count_ += static_cast<double>(samples);
    } else {
      for (Scalar w : weights) count_ += w;
    }
  }

 private:
  double total_ = 0.0;
  double count_ = 0.0;
};

}  // namespace descent::metrics
