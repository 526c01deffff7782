// Shared parts of Loss: the batch mean and the default checks.
#include "loss.hpp"

#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::losses {

double Loss::sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  if (!weights.empty() && static_cast<Index>(weights.size()) != y_pred.rows())
    fail(str(class_name(), ": expected ", y_pred.rows(), " sample weights, one per row of y_pred; received ",
             weights.size(), "."));
  return weighted_sum(y_true, y_pred, weights);
}

double Loss::value(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  return y_pred.rows() == 0 ? 0.0 : sum(y_true, y_pred, weights) / static_cast<double>(y_pred.rows());
}

void Loss::check_shapes(const Matrix& y_true, const Matrix& y_pred) const {
  // Runs every training step: return before class_name() builds a string, so the step allocates nothing.
  if (y_true.rows() == y_pred.rows() && y_true.cols() == target_columns(y_pred.cols())) return;
  fail(str(class_name(), ": expected y_true of ", y_pred.rows(), " x ", target_columns(y_pred.cols()),
           " for y_pred of ", y_pred.rows(), " x ", y_pred.cols(), "; received y_true of ", y_true.rows(), " x ",
           y_true.cols(), "."));
}

void Loss::check_targets(const Matrix& y_true, Index outputs, const std::string& where) const {
  check(y_true.cols() == target_columns(outputs), where, ": ", class_name(), " expects ", target_columns(outputs),
        " target column(s) for a model with ", outputs, " output(s); received y with ", y_true.cols(), " columns.");
}

nlohmann::json Loss::config() const { return {{"name", name()}, {"reduction", "sum_over_batch_size"}}; }

}  // namespace descent::losses
