// Model: what every model is to the training engine (its layers, forward and backward), and Keras's Model API on
// top of it (compile, fit, evaluate, predict, weights), the same for Sequential and every later topology.
#pragma once

#include <descent/callbacks/callback.hpp>
#include <descent/core/random.hpp>
#include <descent/losses/registry.hpp>
#include <descent/metrics/registry.hpp>
#include <descent/nn/layer.hpp>
#include <descent/optim/registry.hpp>
#include <descent/trainers/options.hpp>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace descent::nn {

class Trainer;

struct SaveOptions {
  bool include_optimizer = true;  ///< also save the optimizer's step count and slots, so training resumes exactly
};

namespace detail {
class Graph;
}

/// The arrays of a model of several inputs, one per input: by position, in model.inputs() order
/// (Arrays{x_a, x_b}), or by input name (Arrays{{"a", x_a}, {"b", x_b}}), as Keras's fit([x_a, x_b], y) and
/// fit({"a": x_a, "b": x_b}, y). It refers to the matrices; they must outlive it.
struct Arrays {
  Arrays(std::initializer_list<std::reference_wrapper<const Matrix>> arrays) {
    for (const Matrix& m : arrays) list.push_back(&m);
  }
  Arrays(std::initializer_list<std::pair<const std::string, std::reference_wrapper<const Matrix>>> named_arrays) {
    for (const auto& [name, m] : named_arrays) named.emplace_back(name, &m.get());
  }
  std::vector<const Matrix*> list;
  std::vector<std::pair<std::string, const Matrix*>> named;
};

struct ModelOptions {
  std::string name = "functional";
  /// As SequentialOptions::seed: the initial weights' seed; unset, the program's next seed (set_random_seed).
  std::optional<std::uint64_t> seed;
};

/// A network of layers: keras.Model(inputs, outputs), a graph of layer calls (the Functional API), or a Sequential.
/// The topology says how the layers connect: it builds them, runs them forward and back-propagates through them.
/// Everything else — compile, the fit / evaluate / predict loops, callbacks, the weights as Keras lists them — is
/// this class's and the Trainer's, written once.
///
/// Shapes: x is (samples, features); y is (samples, outputs), or (samples, 1) integer labels for sparse categorical
/// cross-entropy.
class Model {
 public:
  /// keras.Model(inputs=input, outputs=output): the layer calls that lead from `input` (an nn::Input) to `output`,
  /// built at once (weights drawn from the seed, in model.layers order). Unnamed layers get Keras's names; names must
  /// be unique; an output that needs an Input not given is an Error naming both ("graph disconnected").
  Model(const SymbolicTensor& input, const SymbolicTensor& output, ModelOptions options = {});
  /// The same with several inputs or outputs.
  Model(const std::vector<SymbolicTensor>& inputs, const std::vector<SymbolicTensor>& outputs,
        ModelOptions options = {});
  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  // ---- the topology: what the training engine needs of a model ----

  /// Keras's class name: "Sequential", ...
  std::string class_name() const;
  /// Creates the weights for samples of `input_shape` (build(30): 30 features); fit and predict do it when they
  /// can, from the width of x.
  void build(const Shape& input_shape);
  bool built() const { return built_; }
  /// The input sample shape, or an empty shape while unknown.
  const Shape& input_shape() const { return input_shape_; }
  /// The output sample shape; throws while the input shape is unknown.
  Shape output_shape() const;
  /// Columns of x: the values of one input sample (0 while unknown).
  Index input_dim() const { return input_shape_.empty() ? 0 : input_shape_.size(); }
  /// Columns of the output: the values of one output sample.
  Index output_dim() const { return output_shape().size(); }
  /// The model's output for x; layers cache what backward needs.
  const Matrix& forward(const Matrix& x, bool training);
  /// Back-propagates dL/d(output) of the last forward(training = true) through every layer, setting each
  /// Param::grad; with `from_logits`, `grad` is dL/d(logits) of the output layer, whose final activation is skipped.
  void backward(const Matrix& grad, bool from_logits);
  /// The layer whose output is the model's: its final activation decides whether the loss fuses with it.
  const Layer& output_layer() const;
  /// Whether nothing but the loss uses the output layer's output, so that its final activation may fuse with the
  /// loss (not so when a Functional model's output also feeds another layer).
  bool output_is_final() const;

  // ---- the graph of a Functional model ----

  /// Keras's model.inputs and model.outputs (empty for a Sequential).
  const std::vector<SymbolicTensor>& inputs() const;
  const std::vector<SymbolicTensor>& outputs() const;
  /// The graph of layer calls of a Functional model; null for a Sequential.
  const detail::Graph* graph() const { return graph_.get(); }
  /// Keras's model.get_layer(name): the layer of that name; an Error listing the names if none.
  Layer& get_layer(const std::string& name) { return layer(name); }

  // ---- Keras's Model API ----

  /// Sets the loss, optimizer and metrics, each by Keras name or object. The optimizer object is the model's own
  /// from here on: its state advances with training. As in Keras, `metrics` ignore sample and class weights and
  /// `weighted_metrics` apply them (logged as "weighted_<name>" when the name is already taken).
  void compile(losses::LossId loss, optim::OptimizerId optimizer, std::vector<metrics::MetricId> metrics = {},
               std::vector<metrics::MetricId> weighted_metrics = {});
  bool compiled() const;

  /// Trains for options.epochs passes over x; returns per-epoch loss and metrics (and val_ values).
  History fit(const Matrix& x, const Matrix& y, FitOptions options = {});
  /// Loss and metrics over all of x and y: {"loss", "accuracy", ...}.
  Logs evaluate(const Matrix& x, const Matrix& y, EvaluateOptions options = {});
  /// Outputs for x, computed batch by batch; layers run in inference mode.
  Matrix predict(const Matrix& x, PredictOptions options = {});
  /// The same for a model of several inputs. x packs them side by side (their columns in model.inputs() order,
  /// pack_inputs), so that shuffling, batches and validation splits treat the inputs of a sample together.
  History fit(const Arrays& x, const Matrix& y, FitOptions options = {}) { return fit(pack_inputs(x), y, options); }
  Logs evaluate(const Arrays& x, const Matrix& y, EvaluateOptions options = {}) {
    return evaluate(pack_inputs(x), y, options);
  }
  Matrix predict(const Arrays& x, PredictOptions options = {}) { return predict(pack_inputs(x), options); }
  /// One matrix of the inputs' columns side by side, what a model of several inputs takes as x (and as
  /// validation_data's x); each array is checked against its input's shape and the row counts against each other.
  Matrix pack_inputs(const Arrays& x) const;
  /// The class id of each row of predict(x), as Keras 2's predict_classes: the argmax of several outputs; for one
  /// output, 1 where it exceeds 0.5 (a probability) or 0 (a logit: a model compiled with from_logits=true), else 0.
  std::vector<Index> predict_classes(const Matrix& x, PredictOptions options = {});
  /// One optimizer step on this batch; returns its loss and metrics before the update.
  Logs train_on_batch(const Matrix& x, const Matrix& y, const Vector& sample_weight = {});
  /// Loss and metrics of one batch, no update.
  Logs test_on_batch(const Matrix& x, const Matrix& y, const Vector& sample_weight = {});

  const losses::Loss& loss() const;
  optim::Optimizer& optimizer();
  const optim::Optimizer& optimizer() const;
  /// The metric identifiers given to compile, resolved on each fit / evaluate.
  const std::vector<metrics::MetricId>& metric_ids() const;
  const std::vector<metrics::MetricId>& weighted_metric_ids() const;
  /// The compiled metric objects, named as fit logs them (Keras model.metrics); the unweighted ones first.
  const std::vector<std::shared_ptr<metrics::Metric>>& metrics();

  /// Set by a callback (or GD's tolerance) to end fit after the current batch.
  bool stop_training = false;

  /// Every weight in Keras order (per layer: its trainable, then its non-trainable weights); biases are 1 x units.
  std::vector<Matrix> get_weights() const;
  void set_weights(const std::vector<Matrix>& weights);
  Index count_params() const;
  /// Keras's model.weights: every weight, in get_weights order.
  const std::vector<Param*>& weights() const { return weights_; }
  /// Keras's model.trainable_weights: the weights of trainable layers that gradient descent updates, in the order
  /// the optimizer's slots follow.
  std::vector<Param*> trainable_weights() const;
  /// The sum of the layers' regularization penalties for the last forward pass.
  double regularization_loss() const;
  /// Projects the weights of trainable layers back onto their constraints, after an optimizer step.
  void apply_constraints();
  /// The first layer whose output in the last forward pass holds a NaN or an infinity, or null (TerminateOnNaN
  /// names it).
  const Layer* first_non_finite_layer() const;
  /// "<layer>/<weight>" of the first weight holding a NaN or an infinity, or empty (fit checks after each epoch).
  std::string first_non_finite_weight() const;

  std::size_t size() const { return layers_.size(); }
  Layer& layer(std::size_t index);
  const Layer& layer(std::size_t index) const;
  Layer& layer(const std::string& name);
  const std::string& name() const { return name_; }
  /// The seed the initial weights came from, and from which fit's shuffling and the noise layers' generators derive
  /// theirs when not given one. load_model restores it, so that resumed training shuffles as it would have.
  std::uint64_t seed() const { return seed_; }
  void set_seed(std::uint64_t seed) { seed_ = seed; }
  /// "<Class> '<name>'" in messages, e.g. "Sequential 'sequential'". Formatted only when a check fails, so that
  /// checks on the training path allocate nothing.
  struct Where {
    const Model& model;
  };
  Where where() const { return {*this}; }

  /// Keras's summary table: layer (type), output shape, parameter count, totals.
  /// Prints Keras's summary table (layer and type, output shape, parameter count, totals), as model.summary() does
  /// in Keras: to std::cout, or to `out`.
  void summary(std::ostream& out) const;
  void summary() const;
  /// The same table as a string.
  std::string summary_text() const;
  /// The model's config in Keras's JSON plus its compile settings as "training_config"; nn::model_from_json reads
  /// it back.
  std::string to_json() const;
  /// Writes a TF.js layers-model into directory `path` (model.json + weights.bin), which TF.js's loadLayersModel
  /// and nn::load_model read. Atomic: the files are written beside the target and swapped in, so a failed save
  /// leaves the previous model intact.
  void save(const std::string& path, SaveOptions options = {}) const;
  /// Writes the weights alone into directory `path`: weights_manifest.json (TF.js's manifest format) + weights.bin.
  void save_weights(const std::string& path) const;
  /// Reads weights by name from a directory or file written by save or save_weights (or TF.js); all or nothing.
  void load_weights(const std::string& path);

 protected:
  /// A model of no layers yet, for Sequential.
  Model(std::string name, std::uint64_t seed);
  /// Whether the layers form a Sequential's chain (no graph).
  bool is_chain() const { return graph_ == nullptr; }
  /// Lists every layer's weights in Keras order, once the layers are built for `input_shape`.
  void finish_build(const Shape& input_shape);

  std::vector<std::shared_ptr<Layer>> layers_;  // shared with the handles of layers called on symbolic tensors
  Shape input_shape_;
  bool built_ = false;
  std::vector<Param*> weights_;  // every weight, in Keras order
  std::vector<const Matrix*> outputs_;  // each layer's output in the last forward pass (layers_ order)
  Rng build_rng_;  // a chain's initial weights: seeded at the first build, continued by layers added later

 private:
  // A Sequential's topology (models/sequential.cpp): the layers in a chain.
  void build_chain(const Shape& input_shape);
  Shape chain_output_shape() const;
  const Matrix& chain_forward(const Matrix& x, bool training);
  void chain_backward(const Matrix& grad, bool from_logits);
  std::string chain_summary() const;
  void check_input_width(const Matrix& x) const;

  // The Functional API's graph; null for a Sequential.
  std::unique_ptr<detail::Graph> graph_;
  std::vector<const Matrix*> graph_inputs_, graph_grads_;  // forward's and backward's arguments to graph_
  std::vector<Matrix> input_columns_;                      // a packed x split by input, for several inputs
  std::string name_;
  std::uint64_t seed_;
  std::unique_ptr<Trainer> trainer_;
};

/// Writes "<Class> '<name>'".
std::ostream& operator<<(std::ostream& out, Model::Where where);

}  // namespace descent::nn
