// Metric defaults.
#include "metric.hpp"

#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

namespace descent::metrics {

void Metric::update(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) {
  if (!weights.empty() && static_cast<Index>(weights.size()) != y_pred.rows())
    fail(str(class_name(), ": expected ", y_pred.rows(), " sample weights, one per row of y_pred; received ",
             weights.size(), "."));
  update_state(y_true, y_pred, weights);
}

nlohmann::json Metric::config() const { return {{"name", name_}, {"dtype", "float32"}}; }

}  // namespace descent::metrics
