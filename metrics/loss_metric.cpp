// A loss's per-sample values as a metric.
#include "loss_metric.hpp"

#include <nlohmann/json.hpp>

namespace descent::metrics {

LossMetric::LossMetric(std::shared_ptr<const losses::Loss> loss, std::string name) : loss_(std::move(loss)) {
  name_ = std::move(name);
}

std::string LossMetric::class_name() const { return loss_->class_name(); }

nlohmann::json LossMetric::config() const {
  // Keras's loss-based metrics carry the loss function's options but no reduction.
  auto c = loss_->config();
  c.erase("reduction");
  c["name"] = name_;
  c["dtype"] = "float32";
  return c;
}

void LossMetric::update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) {
  add(loss_->sum(y_true, y_pred, weights), y_pred.rows(), weights);
}

}  // namespace descent::metrics
