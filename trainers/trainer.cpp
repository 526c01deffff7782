// The training engine: the training step, the fit / evaluate / predict loops, callback dispatch and History.
#include "trainer.hpp"

#include <descent/callbacks/progress_logger.hpp>
#include <descent/core/error.hpp>
#include <descent/core/output.hpp>
#include <descent/core/random.hpp>
#include <descent/core/text.hpp>
#include <descent/models/model.hpp>
#include <descent/trainers/detail/data_checks.hpp>
#include <descent/trainers/detail/gather_rows.hpp>
#include <descent/trainers/interrupt.hpp>
#include <descent/trainers/training_diverged.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <ostream>

namespace descent::nn {

using detail::check_finite;
using detail::check_sample_weight;

// Reused from batch to batch so that a steady-state training step allocates nothing.
struct Trainer::Buffers {
  Matrix x, y;     // the gathered batch
  Vector weights;  // the gathered batch's sample weights, when fit has any
  Matrix dloss;    // dL/d(output), or dL/d(logits) on the fused path
  std::vector<Index> order;
  Logs batch_logs;  // keys created once per fit; values updated in place
};

Trainer::Trainer() : buffers_(std::make_unique<Buffers>()) {}
Trainer::~Trainer() = default;

namespace {

// The logits form of `loss` when `last` ends in the activation it fuses with, else null.
std::unique_ptr<losses::Loss> fused_form(const losses::Loss& loss, const Layer& last) {
  const std::string activation = last.final_activation();
  if (!activation.empty() && activation == loss.fusable_activation()) return loss.logits_form();
  return nullptr;
}

// Each sample's loss depends on its own row of the output only, so weighting a sample scales its row of dL/dy.
void weigh_rows(Matrix& grad, SampleWeights weights) {
  if (!weights.empty())
    grad.array().colwise() *= Eigen::Map<const Vector>(weights.data(), static_cast<Index>(weights.size())).array();
}

SampleWeights as_weights(const Vector& v) { return {v.data(), static_cast<std::size_t>(v.size())}; }

// TrainingDiverged's message: where training stopped (1-based, as the progress bar counts), what was not finite, and
// the first layer whose output was not.
std::string divergence_message(const Model& model, int epoch, int epochs, Index batch, Index steps,
                               const std::string& what) {
  const Layer* layer = model.first_non_finite_layer();
  return str("fit: training diverged in epoch ", epoch + 1, " of ", epochs, ", batch ", batch + 1, " of ", steps, ": ",
             what, layer ? str(" (the first layer with a non-finite output is '", escaped(layer->name()), "')") : "",
             ". The weights are no longer usable; lower the learning rate, scale the inputs, or clip the gradients ",
             "(clipnorm).");
}

}  // namespace

void Trainer::compile(const Model& model, losses::LossId loss, optim::OptimizerId optimizer,
                      std::vector<metrics::MetricId> metrics, std::vector<metrics::MetricId> weighted_metrics) {
  check(model.size() > 0, model.where(), ": add layers before compile().");
  // Resolve everything before changing anything, so a bad name leaves the model as it was.
  auto resolved_loss = losses::get(loss);
  auto resolved_optimizer = optim::get(optimizer);
  for (const auto* list : {&metrics, &weighted_metrics})
    for (const auto& id : *list) metrics::get(id, {});  // unknown names fail at compile, as in Keras
  loss_ = std::move(resolved_loss);
  optimizer_ = std::move(resolved_optimizer);
  metric_ids_ = std::move(metrics);
  weighted_metric_ids_ = std::move(weighted_metrics);
  metrics_.clear();
}

const losses::Loss& Trainer::loss(const Model& model) const {
  check(loss_ != nullptr, model.where(), ": not compiled; call compile() first.");
  return *loss_;
}

optim::Optimizer& Trainer::optimizer(const Model& model) const {
  check(optimizer_ != nullptr, model.where(), ": not compiled; call compile() first.");
  return *optimizer_;
}

void Trainer::ensure_built(Model& model, const Matrix& x, const std::string& where, bool check_values) {
  check(model.size() > 0, where, ": the model has no layers.");
  if (!model.built()) {
    check(model.input_dim() == 0 || x.cols() == model.input_dim(), where, ": expected x with ", model.input_dim(),
          " columns (the model's input width); received x with ", x.cols(), " columns.");
    model.build(model.input_shape().empty() ? Shape(x.cols()) : model.input_shape());
  }
  check(x.cols() == model.input_dim(), where, ": expected x with ", model.input_dim(),
        " columns (the model's input width); received x with ", x.cols(), " columns (x is ", x.rows(), " x ",
        x.cols(), ").");
  if (check_values) check_finite(x, 0, where, "x");
}

void Trainer::check_data(Model& model, const Matrix& x, const Matrix& y, const std::string& where) {
  check(compiled(), where, ": the model is not compiled; call compile(loss, optimizer, metrics) first.");
  check(x.rows() == y.rows(), where, ": x and y must have the same number of rows; received x with ", x.rows(),
        " rows and y with ", y.rows(), " rows.");
  check(x.rows() > 0, where, ": received no samples (x has 0 rows).");
  ensure_built(model, x, where);
  check_finite(y, 0, where, "y");
  loss_->check_targets(y, model.output_dim(), where + ": y");
}

// Freezing or unfreezing a layer changes which weights the optimizer steps; its slots follow positions, so they
// start afresh, as Keras requires a recompile after changing `trainable`.
void Trainer::refresh_trainable(const Model& model) {
  std::vector<Param*> now = model.trainable_weights();
  if (now != trainable_) {
    if (!trainable_.empty()) optimizer_->reset();
    trainable_ = std::move(now);
  }
}

// The metric objects for the model's output, and the loss's fused form for its output layer (layers added after
// compile may have changed it).
void Trainer::prepare(const Model& model) {
  fused_loss_ = model.output_is_final() ? fused_form(*loss_, model.output_layer()) : nullptr;
  const Index outputs = model.output_dim();
  metrics::Shapes shapes{.outputs = outputs, .target_columns = loss_->target_columns(outputs)};
  metrics_.clear();
  for (const auto& id : metric_ids_) metrics_.push_back(metrics::get(id, shapes));
  first_weighted_ = metrics_.size();
  for (const auto& id : weighted_metric_ids_) {
    auto m = metrics::get(id, shapes);
    for (std::size_t i = 0; i < first_weighted_; ++i)
      if (metrics_[i]->name() == m->name()) m->set_name("weighted_" + m->name());
    metrics_.push_back(std::move(m));
  }
  for (std::size_t i = 0; i < metrics_.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      check(metrics_[i]->name() != metrics_[j]->name(), "compile: two metrics are named \"", metrics_[i]->name(),
            "\".");
}

const std::vector<std::shared_ptr<metrics::Metric>>& Trainer::metrics(const Model& model) {
  if (metrics_.size() != metric_ids_.size() + weighted_metric_ids_.size()) {
    check(compiled() && model.built(), model.where(), ": metrics() needs a built, compiled model.");
    prepare(model);
  }
  return metrics_;
}

double Trainer::train_step(Model& model, const Matrix& x, const Matrix& y, SampleWeights weights) {
  const Matrix& output = model.forward(x, true);
  double loss_sum;
  if (fused_loss_) {
    const Matrix& logits = model.output_layer().logits();
    loss_sum = fused_loss_->sum(y, logits, weights);
    fused_loss_->gradient(y, logits, buffers_->dloss);
  } else {
    loss_sum = loss_->sum(y, output, weights);
    loss_->gradient(y, output, buffers_->dloss);
  }
  weigh_rows(buffers_->dloss, weights);
  // Keras adds the layers' penalties, computed on the weights before the step, to the batch-mean loss.
  loss_sum += static_cast<double>(x.rows()) * model.regularization_loss();
  model.backward(buffers_->dloss, fused_loss_ != nullptr);
  optimizer_->step(trainable_);
  model.apply_constraints();
  update_metrics(y, output, weights);  // layer outputs are untouched by backward and the step
  return loss_sum;
}

double Trainer::test_step(Model& model, const Matrix& x, const Matrix& y, SampleWeights weights) {
  const Matrix& output = model.forward(x, false);
  double loss_sum = fused_loss_ ? fused_loss_->sum(y, model.output_layer().logits(), weights)
                                : loss_->sum(y, output, weights);
  loss_sum += static_cast<double>(x.rows()) * model.regularization_loss();
  update_metrics(y, output, weights);
  return loss_sum;
}

void Trainer::update_metrics(const Matrix& y, const Matrix& output, SampleWeights weights) {
  for (std::size_t i = 0; i < metrics_.size(); ++i)
    metrics_[i]->update(y, output, i < first_weighted_ ? SampleWeights{} : weights);
}

void Trainer::reset_metrics() {
  for (auto& m : metrics_) m->reset();
}

Logs Trainer::metric_logs(double loss) const {
  Logs logs{{"loss", loss}};
  for (const auto& m : metrics_) logs[m->name()] = m->result();
  return logs;
}

Index Trainer::run_epoch(Model& model, const Matrix& x, const Matrix& y, const Vector& weights, Index train_rows,
                         Index batch_size, bool shuffle, std::uint64_t seed, int epoch,
                         std::vector<Callback*>& callbacks, Logs& logs, bool& interrupted) {
  Buffers& b = *buffers_;
  std::iota(b.order.begin(), b.order.end(), Index{0});
  if (shuffle) {
    Rng rng(mix_seed(seed, static_cast<std::uint64_t>(epoch)));
    descent::shuffle(b.order, rng);
  }
  reset_metrics();
  double loss_total = 0.0;
  Index seen = 0;
  const Index steps = (train_rows + batch_size - 1) / batch_size;
  Index diverged_at = -1;
  for (Index step = 0; step < steps; ++step) {
    const Index first = step * batch_size;
    const Index count = std::min(batch_size, train_rows - first);
    for (Callback* c : callbacks) c->on_batch_begin(static_cast<int>(step));
    detail::gather_rows(x, b.order, first, count, b.x);
    detail::gather_rows(y, b.order, first, count, b.y);
    SampleWeights batch_weights;
    if (weights.size() > 0) {
      if (b.weights.size() != count) b.weights.resize(count);
      for (Index k = 0; k < count; ++k) b.weights(k) = weights(b.order[static_cast<std::size_t>(first + k)]);
      batch_weights = as_weights(b.weights);
    }
    const double batch_loss = train_step(model, b.x, b.y, batch_weights);
    loss_total += batch_loss;
    seen += count;
    b.batch_logs["loss"] = loss_total / static_cast<double>(seen);
    for (auto& m : metrics_) b.batch_logs[m->name()] = m->result();
    for (Callback* c : callbacks) c->on_batch_end(static_cast<int>(step), b.batch_logs);
    // A callback that stopped training on this batch (TerminateOnNaN) has dealt with a non-finite loss itself.
    if (!std::isfinite(batch_loss) && !model.stop_training) diverged_at = step;
    if (diverged_at < 0 && take_interruption()) {
      interrupted = true;
      model.stop_training = true;
      output() << "Interrupted: stopped after batch " << step + 1 << " of " << steps << " in epoch " << epoch + 1
               << ".\n";
    }
    if (model.stop_training || diverged_at >= 0) break;
  }
  logs = metric_logs(loss_total / static_cast<double>(std::max<Index>(seen, 1)));
  return diverged_at;
}

History Trainer::fit(Model& model, const Matrix& x, const Matrix& y, FitOptions options) {
  check_data(model, x, y, "fit");
  check(options.epochs >= 0, "fit: expected epochs >= 0; received epochs=", options.epochs, ".");
  check(options.initial_epoch >= 0, "fit: expected initial_epoch >= 0; received initial_epoch=",
        options.initial_epoch, ".");
  check(options.batch_size > 0, "fit: expected batch_size > 0; received batch_size=", options.batch_size, ".");
  check(options.validation_split >= 0 && options.validation_split < 1,
        "fit: expected validation_split in [0, 1); received validation_split=", options.validation_split, ".");
  check(options.validation_freq > 0, "fit: expected validation_freq >= 1; received validation_freq=",
        options.validation_freq, ".");
  check(options.verbose >= 0 && options.verbose <= 2, "fit: expected verbose 0, 1 or 2; received verbose=",
        options.verbose, ".");

  // Keras takes the validation rows from the end, before shuffling.
  Index train_rows = x.rows();
  if (options.validation_split > 0 && !options.validation_data) {
    train_rows = static_cast<Index>(std::floor(static_cast<double>(x.rows()) * (1.0 - options.validation_split)));
    check(train_rows > 0 && train_rows < x.rows(), "fit: validation_split=", options.validation_split, " of ",
          x.rows(), " samples leaves ", train_rows, " for training and ", x.rows() - train_rows,
          " for validation; both need at least one.");
  }
  if (options.validation_data)
    check_data(model, options.validation_data->x, options.validation_data->y, "fit: validation_data");
  const Vector weights = detail::fit_weights(y, options, "fit");

  const Index batch_size = optimizer_->full_batch() ? train_rows : std::min(options.batch_size, train_rows);
  const bool shuffle = options.shuffle && !optimizer_->full_batch();
  const std::uint64_t seed = options.seed.value_or(mix_seed(model.seed(), 0x5eed));
  prepare(model);
  refresh_trainable(model);
  buffers_->order.resize(static_cast<std::size_t>(train_rows));
  buffers_->batch_logs = metric_logs(0.0);

  // The one place the step count is computed: callbacks (the progress bar among them) read it from params().
  const FitParams params{.epochs = options.epochs,
                         .steps = (train_rows + batch_size - 1) / batch_size,
                         .verbose = options.verbose,
                         .validating = options.validation_data.has_value() || train_rows < x.rows()};
  std::unique_ptr<ProgressLogger> progress;
  std::vector<Callback*> callbacks;
  for (auto& c : options.callbacks) callbacks.push_back(c.get());
  if (options.verbose > 0) {
    progress = std::make_unique<ProgressLogger>(options.verbose);
    callbacks.push_back(progress.get());
  }
  for (Callback* c : callbacks) {
    c->set_model(&model);
    c->set_params(params);
  }

  History history;
  Logs logs;
  model.stop_training = false;
  for (Callback* c : callbacks) c->on_train_begin(logs);
  for (int epoch = options.initial_epoch; epoch < options.epochs && !model.stop_training; ++epoch) {
    for (Callback* c : callbacks) c->on_epoch_begin(epoch);
    Index diverged_at = run_epoch(model, x, y, weights, train_rows, batch_size, shuffle, seed, epoch, callbacks,
                                  logs, history.interrupted);
    // A weight can go non-finite while the loss stays finite (behind a relu that outputs 0 for it); checking every
    // weight once an epoch costs nothing next to the epoch, where once a batch would slow small batches.
    std::string bad_weight;
    if (diverged_at < 0 && !model.stop_training) bad_weight = model.first_non_finite_weight();
    if (diverged_at >= 0 || !bad_weight.empty()) {
      for (Callback* c : callbacks) c->on_train_end(logs);
      for (Callback* c : callbacks) c->set_model(nullptr);
      const Index batch = diverged_at >= 0 ? diverged_at : params.steps - 1;
      const double loss = logs["loss"];
      const std::string what = diverged_at >= 0 ? str("the loss is ", std::isnan(loss) ? "nan" : str(loss))
                                                : str("the weight ", bad_weight, " is not finite");
      throw TrainingDiverged(divergence_message(model, epoch, options.epochs, batch, params.steps, what), history,
                             epoch, batch);
    }
    Logs val;
    if ((epoch + 1) % options.validation_freq != 0) {
      // Keras validates after epochs validation_freq, 2 * validation_freq, ... only.
    } else if (options.validation_data) {
      const Dataset& v = *options.validation_data;
      val = evaluate_rows(model, v.x, v.y, Vector(), 0, v.x.rows(), options.batch_size);
    } else if (train_rows < x.rows()) {
      // The validation rows keep their sample weights but, as in Keras, not their class weights.
      val = evaluate_rows(model, x, y, options.sample_weight, train_rows, x.rows() - train_rows, options.batch_size);
    }
    for (const auto& [k, v] : val) logs["val_" + k] = v;
    if (optimizer_->converged()) model.stop_training = true;
    for (Callback* c : callbacks) c->on_epoch_end(epoch, logs);
    history.epoch.push_back(epoch);
    for (const auto& [k, v] : logs) history.history[k].push_back(v);
  }
  for (Callback* c : callbacks) c->on_train_end(logs);
  for (Callback* c : callbacks) c->set_model(nullptr);
  return history;
}

Logs Trainer::evaluate_rows(Model& model, const Matrix& x, const Matrix& y, const Vector& weights, Index first,
                            Index rows, Index batch_size) {
  check(batch_size > 0, "evaluate: expected batch_size > 0; received batch_size=", batch_size, ".");
  prepare(model);
  Buffers& b = *buffers_;
  double loss_total = 0.0;
  for (Index start = 0; start < rows; start += batch_size) {
    Index count = std::min(batch_size, rows - start);
    b.x = x.middleRows(first + start, count);
    b.y = y.middleRows(first + start, count);
    SampleWeights batch_weights;
    if (weights.size() > 0)
      batch_weights = SampleWeights(weights.data() + first + start, static_cast<std::size_t>(count));
    loss_total += test_step(model, b.x, b.y, batch_weights);
  }
  return metric_logs(loss_total / static_cast<double>(rows));
}

Logs Trainer::evaluate(Model& model, const Matrix& x, const Matrix& y, EvaluateOptions options) {
  check_data(model, x, y, "evaluate");
  check_sample_weight(options.sample_weight, x.rows(), "evaluate: sample_weight");
  return evaluate_rows(model, x, y, options.sample_weight, 0, x.rows(), options.batch_size);
}

Matrix Trainer::predict(Model& model, const Matrix& x, PredictOptions options) {
  check(options.batch_size > 0, "predict: expected batch_size > 0; received batch_size=", options.batch_size, ".");
  // Each batch is checked as it is copied rather than the whole of x beforehand: nothing changes state before a
  // bad row, and a large x is not read from memory twice.
  ensure_built(model, x, "predict", false);
  Matrix out(x.rows(), model.output_dim());
  for (Index start = 0; start < x.rows(); start += options.batch_size) {
    Index count = std::min(options.batch_size, x.rows() - start);
    detail::copy_rows_checked(x, start, count, buffers_->x, "predict");
    out.middleRows(start, count) = model.forward(buffers_->x, false);
  }
  return out;
}

Logs Trainer::train_on_batch(Model& model, const Matrix& x, const Matrix& y, const Vector& sample_weight) {
  check_data(model, x, y, "train_on_batch");
  check_sample_weight(sample_weight, x.rows(), "train_on_batch: sample_weight");
  prepare(model);
  refresh_trainable(model);
  return metric_logs(train_step(model, x, y, as_weights(sample_weight)) / static_cast<double>(x.rows()));
}

Logs Trainer::test_on_batch(Model& model, const Matrix& x, const Matrix& y, const Vector& sample_weight) {
  check_data(model, x, y, "test_on_batch");
  check_sample_weight(sample_weight, x.rows(), "test_on_batch: sample_weight");
  return evaluate_rows(model, x, y, sample_weight, 0, x.rows(), x.rows());
}

}  // namespace descent::nn
