// Metric defaults.
#include "metric.hpp"

#include <nlohmann/json.hpp>

namespace descent::metrics {

nlohmann::json Metric::config() const { return {{"name", name_}, {"dtype", "float32"}}; }

}  // namespace descent::metrics
