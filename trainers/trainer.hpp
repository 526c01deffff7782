// Trainer: the engine behind compile / fit / evaluate / predict (Keras's Trainer, EpochIterator, CompileMetrics and
// CallbackList), written once for every kind of model.
#pragma once

#include <descent/callbacks/callback.hpp>
#include <descent/losses/registry.hpp>
#include <descent/metrics/registry.hpp>
#include <descent/optim/registry.hpp>
#include <descent/trainers/options.hpp>

#include <memory>
#include <string>
#include <vector>

namespace descent::nn {

class Model;

/// Holds what compile sets (the loss and its fused logits form, the optimizer, the metrics) and the buffers a
/// training step reuses, so that a steady-state step allocates nothing. It reaches the layers only through the
/// model it is handed: Model::forward, Model::backward and the model's weights.
class Trainer {
 public:
  Trainer();
  ~Trainer();

  void compile(const Model& model, losses::LossId loss, optim::OptimizerId optimizer,
               std::vector<metrics::MetricId> metrics, std::vector<metrics::MetricId> weighted_metrics);
  bool compiled() const { return loss_ != nullptr; }

  History fit(Model& model, const Matrix& x, const Matrix& y, FitOptions options);
  Logs evaluate(Model& model, const Matrix& x, const Matrix& y, EvaluateOptions options);
  Matrix predict(Model& model, const Matrix& x, PredictOptions options);
  Logs train_on_batch(Model& model, const Matrix& x, const Matrix& y, const Vector& sample_weight);
  Logs test_on_batch(Model& model, const Matrix& x, const Matrix& y, const Vector& sample_weight);

  /// Throws naming the model when it is not compiled.
  const losses::Loss& loss(const Model& model) const;
  optim::Optimizer& optimizer(const Model& model) const;
  const std::vector<metrics::MetricId>& metric_ids() const { return metric_ids_; }
  const std::vector<metrics::MetricId>& weighted_metric_ids() const { return weighted_metric_ids_; }
  const std::vector<std::shared_ptr<metrics::Metric>>& metrics(const Model& model);

 private:
  struct Buffers;

  /// Builds the model for x when it is not yet built, then checks x's width (and its values).
  static void ensure_built(Model& model, const Matrix& x, const std::string& where, bool check_values = true);

  void check_data(Model& model, const Matrix& x, const Matrix& y, const std::string& where);
  void prepare(const Model& model);
  void refresh_trainable(const Model& model);
  // Both return the loss summed over the batch, each sample's times its weight.
  double train_step(Model& model, const Matrix& x, const Matrix& y, SampleWeights weights);
  double test_step(Model& model, const Matrix& x, const Matrix& y, SampleWeights weights);
  void update_metrics(const Matrix& y, const Matrix& output, SampleWeights weights);
  void reset_metrics();
  // Returns the 0-based batch whose loss was not finite (training stops there), or -1.
  Index run_epoch(Model& model, const Matrix& x, const Matrix& y, const Vector& weights, Index train_rows,
                  Index batch_size, bool shuffle, std::uint64_t seed, int epoch, std::vector<Callback*>& callbacks,
                  Logs& logs, bool& interrupted);
  Logs evaluate_rows(Model& model, const Matrix& x, const Matrix& y, const Vector& weights, Index first, Index rows,
                     Index batch_size);
  Logs metric_logs(double loss) const;

  std::shared_ptr<losses::Loss> loss_;
  std::unique_ptr<losses::Loss> fused_loss_;  // the logits form, when the output layer's activation fuses with loss_
  std::shared_ptr<optim::Optimizer> optimizer_;
  std::vector<metrics::MetricId> metric_ids_;
  std::vector<metrics::MetricId> weighted_metric_ids_;
  std::vector<std::shared_ptr<metrics::Metric>> metrics_;  // metric_ids_'s, then weighted_metric_ids_'s
  std::size_t first_weighted_ = 0;                          // where the weighted ones start in metrics_
  std::vector<Param*> trainable_;                           // what the optimizer steps, refreshed before training
  std::unique_ptr<Buffers> buffers_;
};

}  // namespace descent::nn
