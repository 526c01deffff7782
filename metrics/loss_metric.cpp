// A loss's per-sample values as a metric.
#include "loss_metric.hpp"

namespace descent::metrics {

LossMetric::LossMetric(std::shared_ptr<const losses::Loss> loss, std::string name) : loss_(std::move(loss)) {
  name_ = std::move(name);
}

std::string LossMetric::class_name() const { return loss_->class_name(); }

void LossMetric::update(const Matrix& y_true, const Matrix& y_pred) {
  add(loss_->sum(y_true, y_pred), y_pred.rows());
}

}  // namespace descent::metrics
