// Metric: a stateful accumulator of (y_true, y_pred) batches whose result is exact over an epoch (Keras metrics/).
#pragma once

#include "../nn/tensor.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace descent::metrics {

/// Call reset(), then update() once per batch; result() is the value over every sample seen, not a mean of batch
/// means, so a smaller last batch weighs what it should.
class Metric {
 public:
  virtual ~Metric() = default;
  virtual std::string class_name() const = 0;
  /// The key in logs and History: "accuracy", "binary_accuracy", "mse", ...
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

  virtual void update(const Matrix& y_true, const Matrix& y_pred) = 0;
  virtual double result() const = 0;
  virtual void reset() = 0;
  /// Keras config: {"name", "dtype"} and the metric's own options.
  virtual nlohmann::json config() const;

 protected:
  std::string name_;
};

/// The mean of a per-sample value over all samples seen (Keras MeanMetricWrapper), accumulated in double.
class MeanMetric : public Metric {
 public:
  double result() const override { return count_ == 0 ? 0.0 : total_ / count_; }
  void reset() override { total_ = count_ = 0.0; }

 protected:
  /// Adds `sum` of per-sample values over `samples` samples.
  void add(double sum, Index samples) {
    total_ += sum;
    count_ += static_cast<double>(samples);
  }

 private:
  double total_ = 0.0;
  double count_ = 0.0;
};

}  // namespace descent::metrics
