// Sequential: a stack of layers with Keras's compile / fit / evaluate / predict.
#pragma once

#include <descent/callbacks/callback.hpp>
#include <descent/nn/layer.hpp>

#include <descent/losses/registry.hpp>
#include <descent/metrics/registry.hpp>
#include <descent/optim/registry.hpp>

#include <concepts>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace descent::nn {

struct SequentialOptions {
  std::string name = "sequential";
  std::uint64_t seed = 42;  ///< draws the initial weights; the same seed gives the same weights, bit for bit
};

/// Keras fit keyword arguments and defaults. Field order is API: only append.
struct FitOptions {
  int epochs = 1;
  Index batch_size = 32;         ///< ignored by full-batch optimizers (GD)
  double validation_split = 0.0;  ///< the last fraction of x and y, before shuffling, as Keras
  std::optional<Dataset> validation_data;
  bool shuffle = true;
  int verbose = 1;                    ///< 0 silent, 1 progress bar (one line per epoch when not a terminal), 2 one line
  std::optional<std::uint64_t> seed;  ///< shuffling seed; unset: derived from the model's seed
  std::vector<std::shared_ptr<Callback>> callbacks;
  int initial_epoch = 0;  ///< the epoch to start at, as Keras: epochs=10, initial_epoch=5 runs epochs 5..9
  int validation_freq = 1;  ///< validate after every validation_freq-th epoch (epochs 1-based, as Keras)
  /// Keras class_weight: class index -> weight of its training samples (classes not listed weigh 1). The class is
  /// the argmax of a one-hot y, else the rounded label. Not with sample_weight.
  std::map<int, double> class_weight;
  /// Keras sample_weight: one non-negative weight per row of x (empty: all 1). The loss becomes the sum of weight
  /// times loss over the batch size; weighted_metrics become weighted means. validation_split splits it too.
  Vector sample_weight;
};

struct EvaluateOptions {
  Index batch_size = 32;
  Vector sample_weight;  ///< one weight per row of x, as FitOptions::sample_weight (empty: all 1)
};

struct PredictOptions {
  Index batch_size = 32;
};

struct SaveOptions {
  bool include_optimizer = true;  ///< also save the optimizer's step count and slots, so training resumes exactly
};

/// Layers applied in order. Shapes: x is (samples, features); y is (samples, outputs), or (samples, 1) integer
/// labels for sparse categorical cross-entropy.
class Sequential {
 public:
  explicit Sequential(SequentialOptions options = {});
  Sequential(Sequential&&) noexcept;
  Sequential& operator=(Sequential&&) noexcept;
  ~Sequential();

  /// Appends a layer; unnamed layers get Keras's names (dense, dense_1, ...). Once the input width is known (an
  /// Input, or input_dim on the first layer) each layer is built as it is added, as in Keras.
  template <std::derived_from<Layer> L>
  Sequential& add(L layer) {
    return add(std::unique_ptr<Layer>(std::make_unique<L>(std::move(layer))));
  }
  Sequential& add(std::unique_ptr<Layer> layer);
  /// Declares the input width (keras.Input(shape=(features,))); must come first.
  Sequential& add(Input input);

  /// Sets the loss, optimizer and metrics, each by Keras name or object. The optimizer object is the model's own
  /// from here on: its state advances with training. As in Keras, `metrics` ignore sample and class weights and
  /// `weighted_metrics` apply them (logged as "weighted_<name>" when the name is already taken).
  void compile(losses::LossId loss, optim::OptimizerId optimizer, std::vector<metrics::MetricId> metrics = {},
               std::vector<metrics::MetricId> weighted_metrics = {});
  bool compiled() const { return loss_ != nullptr; }

  /// Trains for options.epochs passes over x; returns per-epoch loss and metrics (and val_ values).
  History fit(const Matrix& x, const Matrix& y, FitOptions options = {});
  /// Loss and metrics over all of x and y: {"loss", "accuracy", ...}.
  Logs evaluate(const Matrix& x, const Matrix& y, EvaluateOptions options = {});
  /// Outputs for x, computed batch by batch; layers run in inference mode.
  Matrix predict(const Matrix& x, PredictOptions options = {});
  /// One optimizer step on this batch; returns its loss and metrics before the update.
  Logs train_on_batch(const Matrix& x, const Matrix& y, const Vector& sample_weight = {});
  /// Loss and metrics of one batch, no update.
  Logs test_on_batch(const Matrix& x, const Matrix& y, const Vector& sample_weight = {});

  /// Creates the weights for `input_dim` features; add, fit and predict do it when they can.
  void build(Index input_dim);
  bool built() const { return built_; }
  Index input_dim() const { return input_dim_; }
  Index output_dim() const;

  /// Keras's summary table: layer (type), output shape, parameter count, totals.
  std::string summary() const;
  void print_summary(std::ostream& out) const;
  /// Every weight in Keras order (per layer: its trainable, then its non-trainable weights); biases are 1 x units.
  std::vector<Matrix> get_weights() const;
  void set_weights(const std::vector<Matrix>& weights);
  Index count_params() const;
  /// Keras's model.weights: every weight, in get_weights order.
  const std::vector<Param*>& weights() const { return weights_; }
  /// Keras's model.trainable_weights: the weights of trainable layers that gradient descent updates, in the order
  /// the optimizer's slots follow.
  std::vector<Param*> trainable_weights() const;

  /// The first layer whose output in the last forward pass holds a NaN or an infinity, or null (TerminateOnNaN
  /// names it).
  const Layer* first_non_finite_layer() const;

  /// The model's config in Keras's JSON (the Keras-2 dialect with an explicit InputLayer, which TF.js and Keras 3
  /// both read) plus its compile settings as "training_config"; nn::model_from_json reads it back.
  std::string to_json() const;
  /// Writes a TF.js layers-model into directory `path` (model.json + weights.bin), which TF.js's loadLayersModel and
  /// nn::load_model read. Atomic: the files are written beside the target and swapped in, so a failed save leaves
  /// the previous model intact.
  void save(const std::string& path, SaveOptions options = {}) const;
  /// Writes the weights alone into directory `path`: weights_manifest.json (TF.js's manifest format) + weights.bin.
  void save_weights(const std::string& path) const;
  /// Reads weights by name from a directory or file written by save or save_weights (or TF.js); all or nothing.
  void load_weights(const std::string& path);

  std::size_t size() const { return layers_.size(); }
  Layer& layer(std::size_t index);
  const Layer& layer(std::size_t index) const;
  Layer& layer(const std::string& name);
  const std::string& name() const { return options_.name; }
  std::uint64_t seed() const { return options_.seed; }

  const losses::Loss& loss() const;
  optim::Optimizer& optimizer();
  /// The metric identifiers given to compile, resolved on each fit / evaluate.
  const std::vector<metrics::MetricId>& metric_ids() const { return metric_ids_; }
  const std::vector<metrics::MetricId>& weighted_metric_ids() const { return weighted_metric_ids_; }
  /// The compiled metric objects, named as fit logs them (Keras model.metrics); the unweighted ones first.
  const std::vector<std::shared_ptr<metrics::Metric>>& metrics();

  /// Set by a callback (or GD's tolerance) to end fit after the current batch.
  bool stop_training = false;

 private:
  struct Buffers;

  const Matrix& forward(const Matrix& x, bool training);
  double regularization_loss() const;
  void refresh_trainable();
  // Both return the loss summed over the batch, each sample's times its weight.
  double train_step(const Matrix& x, const Matrix& y, SampleWeights weights);
  double test_step(const Matrix& x, const Matrix& y, SampleWeights weights);
  void update_metrics(const Matrix& y, const Matrix& output, SampleWeights weights);
  void check_data(const Matrix& x, const Matrix& y, const std::string& where);
  void ensure_built(const Matrix& x, const std::string& where, bool check_values = true);
  void prepare_metrics();
  void reset_metrics();
  void run_epoch(const Matrix& x, const Matrix& y, const Vector& weights, Index train_rows, Index batch_size,
                 bool shuffle, std::uint64_t seed, int epoch, std::vector<Callback*>& callbacks, Logs& logs);
  Logs evaluate_rows(const Matrix& x, const Matrix& y, const Vector& weights, Index first, Index rows,
                     Index batch_size);
  bool fused() const { return fused_loss_ != nullptr; }

  SequentialOptions options_;
  std::vector<std::unique_ptr<Layer>> layers_;
  Index input_dim_ = 0;
  bool built_ = false;
  std::vector<Param*> weights_;    // every weight, in Keras order
  std::vector<Param*> trainable_;  // what the optimizer steps, refreshed before training

  std::shared_ptr<losses::Loss> loss_;
  std::unique_ptr<losses::Loss> fused_loss_;  // the logits form, when the last activation and the loss fuse
  std::shared_ptr<optim::Optimizer> optimizer_;
  std::vector<metrics::MetricId> metric_ids_;
  std::vector<metrics::MetricId> weighted_metric_ids_;
  std::vector<std::shared_ptr<metrics::Metric>> metrics_;  // metric_ids_'s, then weighted_metric_ids_'s
  std::size_t first_weighted_ = 0;                          // where the weighted ones start in metrics_
  std::unique_ptr<Buffers> buffers_;
};

}  // namespace descent::nn
