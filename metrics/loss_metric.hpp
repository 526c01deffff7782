// LossMetric: any loss used as a metric, its per-sample values averaged over the epoch.
#pragma once

#include "metric.hpp"

#include <descent/losses/loss.hpp>

#include <memory>

namespace descent::metrics {

/// "mse", "mae", "binary_crossentropy", ... as metrics share the losses' math rather than copying it.
class LossMetric : public MeanMetric {
 public:
  LossMetric(std::shared_ptr<const losses::Loss> loss, std::string name);
  std::string class_name() const override;
  void update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) override;
  /// The loss's options with this metric's name, as Keras's metric configs; to_json gives the loss's class name.
  nlohmann::json config() const override;

 private:
  std::shared_ptr<const losses::Loss> loss_;
};

}  // namespace descent::metrics
