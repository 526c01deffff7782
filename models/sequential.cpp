// Sequential: building, the training step, fit / evaluate / predict loops.
#include "sequential.hpp"

#include <descent/core/error.hpp>
#include <descent/core/detail/parallel.hpp>
#include <descent/callbacks/progress_logger.hpp>
#include <descent/core/random.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <iostream>
#include <numeric>

namespace descent::nn {

// Reused from batch to batch so that a steady-state training step allocates nothing.
struct Sequential::Buffers {
  Matrix x, y;         // the gathered batch
  Vector weights;      // the gathered batch's sample weights, when fit has any
  Matrix dloss;        // dL/d(output), or dL/d(logits) on the fused path
  std::vector<Index> order;
  Logs batch_logs;     // keys created once per fit; values updated in place
  std::vector<const Matrix*> outputs;  // each layer's output in the last forward pass
  Rng build_rng;       // initial weights: seeded at the first build, continued by layers added later
};

Sequential::Sequential(SequentialOptions options)
    : options_(std::move(options)), buffers_(std::make_unique<Buffers>()) {}
Sequential::Sequential(Sequential&&) noexcept = default;
Sequential& Sequential::operator=(Sequential&&) noexcept = default;
Sequential::~Sequential() = default;

namespace {

// "BatchNormalization" -> "batch_normalization", Keras's default layer names.
std::string snake_case(const std::string& name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (i > 0 && !std::isupper(static_cast<unsigned char>(name[i - 1]))) out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

// Fails naming the first NaN or infinity in `m` by its row in the caller's data (`first_row` + its row here).
void check_finite(const Matrix& m, Index first_row, const std::string& where, const char* what) {
  // x - x is 0 for finite x and NaN otherwise; a plain sum vectorizes where Eigen's allFinite() does not (it ran
  // at a tenth of memory speed, a fifth of predict's time on bench B5).
  if (!std::isnan((m.array() - m.array()).sum())) return;
  for (Index i = 0; i < m.rows(); ++i)
    for (Index j = 0; j < m.cols(); ++j)
      check(std::isfinite(m(i, j)), where, ": ", what, " has a non-finite value (", static_cast<double>(m(i, j)),
            ") at row ", first_row + i, ", column ", j, ".");
}

// to = rows [first, first + count) of x, each row checked while it is in cache (one sweep over x, not two), in row
// blocks shared among the threads when large; fails as check_finite does.
void copy_rows_checked(const Matrix& x, Index first, Index count, Matrix& to, const char* where) {
  if (to.rows() != count || to.cols() != x.cols()) to.resize(count, x.cols());
  std::atomic<bool> finite = true;
  detail::for_row_blocks(count, x.cols(), [&](Index block_first, Index block_count) {
    auto block = to.middleRows(block_first, block_count);
    block = x.middleRows(first + block_first, block_count);
    if (std::isnan((block.array() - block.array()).sum())) finite = false;
  });
  if (!finite) check_finite(to, first, where, "x");
}

// Keras's sample weights: empty, or one finite, non-negative weight per row.
void check_sample_weight(const Vector& weights, Index rows, const std::string& where) {
  if (weights.size() == 0) return;
  check(weights.size() == rows, where, ": expected one weight per sample (", rows, "); received ", weights.size(),
        " weights.");
  for (Index i = 0; i < weights.size(); ++i)
    check(std::isfinite(weights(i)) && weights(i) >= 0, where, ": expected finite, non-negative weights; received ",
          weights(i), " at row ", i, ".");
}

// The weight of each row of y for fit: sample_weight, or class_weight looked up by each row's class (the argmax of
// a one-hot row, else the rounded label), as Keras's class_weight_to_sample_weights; empty when neither is given.
Vector fit_weights(const Matrix& y, const FitOptions& options, const std::string& where) {
  check(options.class_weight.empty() || options.sample_weight.size() == 0, where,
        ": class_weight and sample_weight cannot be given together (as in Keras); multiply them into sample_weight.");
  check_sample_weight(options.sample_weight, y.rows(), where + ": sample_weight");
  if (options.class_weight.empty()) return options.sample_weight;
  for (const auto& [label, w] : options.class_weight)
    check(label >= 0 && std::isfinite(w) && w >= 0, where,
          ": class_weight expects class indices >= 0 and finite, non-negative weights; received ", label, ": ", w,
          ".");
  Vector weights(y.rows());
  for (Index i = 0; i < y.rows(); ++i) {
    Index label = 0;
    if (y.cols() > 1)
      y.row(i).maxCoeff(&label);
    else
      label = static_cast<Index>(std::lround(y(i, 0)));
    auto found = options.class_weight.find(static_cast<int>(label));
    weights(i) = static_cast<Scalar>(found == options.class_weight.end() ? 1.0 : found->second);
  }
  return weights;
}

// The logits form of `loss` when `last` ends in the activation it fuses with, else null.
std::unique_ptr<losses::Loss> fused_form(const losses::Loss& loss, const Layer& last) {
  const std::string activation = last.final_activation();
  if (!activation.empty() && activation == loss.fusable_activation()) return loss.logits_form();
  return nullptr;
}

}  // namespace

Sequential& Sequential::add(std::unique_ptr<Layer> layer) {
  check(layer != nullptr, "Sequential '", name(), "': add() received no layer.");
  if (layer->name().empty()) {
    std::string base = snake_case(layer->class_name());
    std::string candidate = base;
    for (int n = 1; std::any_of(layers_.begin(), layers_.end(), [&](const auto& l) { return l->name() == candidate; });
         ++n)
      candidate = base + "_" + std::to_string(n);
    layer->set_name(candidate);
  }
  for (const auto& l : layers_)
    check(l->name() != layer->name(), "Sequential '", name(), "': a layer named '", layer->name(),
          "' already exists; layer names must be unique.");
  if (layers_.empty() && input_dim_ == 0) input_dim_ = layer->declared_input_dim();
  // Once the input width is known, each layer is built as it is added, as Keras does after an Input: summary(),
  // count_params() and set_weights() work before fit. The weights are the ones build() would draw.
  if (input_dim_ > 0) {
    if (layers_.empty()) buffers_->build_rng.seed(options_.seed);
    const Index width = layers_.empty() ? input_dim_ : output_dim();
    layer->build(width, buffers_->build_rng);
    layer->set_input_gradient_needed(!layers_.empty());
    for (Param* p : layer->weights()) weights_.push_back(p);
    built_ = true;
  }
  layers_.push_back(std::move(layer));
  if (loss_) fused_loss_ = fused_form(*loss_, *layers_.back());  // the last layer may have changed
  return *this;
}

Sequential& Sequential::add(Input input) {
  check(layers_.empty(), "Sequential '", name(), "': Input must be added before any layer.");
  check(input.features > 0, "Sequential '", name(), "': Input expects a positive number of features; received ",
        input.features, ".");
  input_dim_ = input.features;
  return *this;
}

void Sequential::build(Index input_dim) {
  check(!layers_.empty(), "Sequential '", name(), "': cannot build a model with no layers.");
  check(input_dim > 0, "Sequential '", name(), "': expected a positive input width; received ", input_dim, ".");
  check(!built_ || input_dim == input_dim_, "Sequential '", name(), "': already built for ", input_dim_,
        " input features; received ", input_dim, ".");
  if (built_) return;
  buffers_->build_rng.seed(options_.seed);
  Index width = input_dim;
  for (auto& layer : layers_) {
    layer->build(width, buffers_->build_rng);
    width = layer->output_dim(width);
  }
  layers_.front()->set_input_gradient_needed(false);
  weights_.clear();
  for (auto& layer : layers_)
    for (Param* p : layer->weights()) weights_.push_back(p);
  input_dim_ = input_dim;
  built_ = true;
}

Index Sequential::output_dim() const {
  check(input_dim_ > 0, "Sequential '", name(), "': the output width is unknown until the input width is.");
  Index width = input_dim_;
  for (const auto& layer : layers_) width = layer->output_dim(width);
  return width;
}

void Sequential::compile(losses::LossId loss, optim::OptimizerId optimizer, std::vector<metrics::MetricId> metrics,
                         std::vector<metrics::MetricId> weighted_metrics) {
  check(!layers_.empty(), "Sequential '", name(), "': add layers before compile().");
  // Resolve everything before changing anything, so a bad name leaves the model as it was.
  auto resolved_loss = losses::get(loss);
  auto resolved_optimizer = optim::get(optimizer);
  for (const auto* list : {&metrics, &weighted_metrics})
    for (const auto& id : *list) metrics::get(id, {});  // unknown names fail at compile, as in Keras
  loss_ = std::move(resolved_loss);
  optimizer_ = std::move(resolved_optimizer);
  metric_ids_ = std::move(metrics);
  weighted_metric_ids_ = std::move(weighted_metrics);
  fused_loss_ = fused_form(*loss_, *layers_.back());
  metrics_.clear();
}

const losses::Loss& Sequential::loss() const {
  check(loss_ != nullptr, "Sequential '", name(), "': not compiled; call compile() first.");
  return *loss_;
}

optim::Optimizer& Sequential::optimizer() {
  check(optimizer_ != nullptr, "Sequential '", name(), "': not compiled; call compile() first.");
  return *optimizer_;
}

Layer& Sequential::layer(std::size_t index) {
  check(index < layers_.size(), "Sequential '", name(), "': no layer ", index, "; it has ", layers_.size(), ".");
  return *layers_[index];
}
const Layer& Sequential::layer(std::size_t index) const { return const_cast<Sequential*>(this)->layer(index); }

Layer& Sequential::layer(const std::string& layer_name) {
  for (auto& l : layers_)
    if (l->name() == layer_name) return *l;
  std::string names;
  for (auto& l : layers_) names += (names.empty() ? "" : ", ") + l->name();
  fail(str("Sequential '", name(), "': no layer named '", layer_name, "'. Layers: ", names, "."));
}

void Sequential::ensure_built(const Matrix& x, const std::string& where, bool check_values) {
  check(!layers_.empty(), where, ": the model has no layers.");
  if (!built_) {
    check(input_dim_ == 0 || x.cols() == input_dim_, where, ": expected x with ", input_dim_,
          " columns (the model's input width); received x with ", x.cols(), " columns.");
    build(x.cols());
  }
  check(x.cols() == input_dim_, where, ": expected x with ", input_dim_,
        " columns (the model's input width); received x with ", x.cols(), " columns (x is ", x.rows(), " x ",
        x.cols(), ").");
  if (check_values) check_finite(x, 0, where, "x");
}

void Sequential::check_data(const Matrix& x, const Matrix& y, const std::string& where) {
  check(compiled(), where, ": the model is not compiled; call compile(loss, optimizer, metrics) first.");
  check(x.rows() == y.rows(), where, ": x and y must have the same number of rows; received x with ", x.rows(),
        " rows and y with ", y.rows(), " rows.");
  check(x.rows() > 0, where, ": received no samples (x has 0 rows).");
  ensure_built(x, where);
  check_finite(y, 0, where, "y");
  loss_->check_targets(y, output_dim(), where + ": y");
}

const Matrix& Sequential::forward(const Matrix& x, bool training) {
  buffers_->outputs.resize(layers_.size());  // allocates once
  const Matrix* h = &x;
  for (std::size_t i = 0; i < layers_.size(); ++i) buffers_->outputs[i] = h = &layers_[i]->forward(*h, training);
  return *h;
}

const Layer* Sequential::first_non_finite_layer() const {
  for (std::size_t i = 0; i < buffers_->outputs.size() && i < layers_.size(); ++i)
    if (buffers_->outputs[i] != nullptr && !buffers_->outputs[i]->allFinite()) return layers_[i].get();
  return nullptr;
}

double Sequential::regularization_loss() const {
  double penalty = 0.0;
  for (const auto& layer : layers_) penalty += layer->regularization_loss();
  return penalty;
}

std::vector<Param*> Sequential::trainable_weights() const {
  std::vector<Param*> out;
  for (const auto& layer : layers_)
    if (layer->trainable())
      for (Param* p : layer->params()) out.push_back(p);
  return out;
}

// Freezing or unfreezing a layer changes which weights the optimizer steps; its slots follow positions, so they
// start afresh, as Keras requires a recompile after changing `trainable`.
void Sequential::refresh_trainable() {
  std::vector<Param*> now = trainable_weights();
  if (now != trainable_) {
    if (!trainable_.empty()) optimizer_->reset();
    trainable_ = std::move(now);
  }
}

namespace {
// Each sample's loss depends on its own row of the output only, so weighting a sample scales its row of dL/dy.
void weigh_rows(Matrix& grad, SampleWeights weights) {
  if (!weights.empty())
    grad.array().colwise() *= Eigen::Map<const Vector>(weights.data(), static_cast<Index>(weights.size())).array();
}
}  // namespace

double Sequential::train_step(const Matrix& x, const Matrix& y, SampleWeights weights) {
  const Matrix& output = forward(x, true);
  Layer& last = *layers_.back();
  const Matrix* grad;
  double loss_sum;
  if (fused()) {
    loss_sum = fused_loss_->sum(y, last.logits(), weights);
    fused_loss_->gradient(y, last.logits(), buffers_->dloss);
    weigh_rows(buffers_->dloss, weights);
    grad = &last.backward_from_logits(buffers_->dloss);
  } else {
    loss_sum = loss_->sum(y, output, weights);
    loss_->gradient(y, output, buffers_->dloss);
    weigh_rows(buffers_->dloss, weights);
    grad = &last.backward(buffers_->dloss);
  }
  // Keras adds the layers' penalties, computed on the weights before the step, to the batch-mean loss.
  loss_sum += static_cast<double>(x.rows()) * regularization_loss();
  for (std::size_t i = layers_.size() - 1; i-- > 0;) grad = &layers_[i]->backward(*grad);
  optimizer_->step(trainable_);
  for (auto& layer : layers_)
    if (layer->trainable()) layer->apply_constraints();
  update_metrics(y, output, weights);  // layer outputs are untouched by backward and the step
  return loss_sum;
}

double Sequential::test_step(const Matrix& x, const Matrix& y, SampleWeights weights) {
  const Matrix& output = forward(x, false);
  double loss_sum =
      fused() ? fused_loss_->sum(y, layers_.back()->logits(), weights) : loss_->sum(y, output, weights);
  loss_sum += static_cast<double>(x.rows()) * regularization_loss();
  update_metrics(y, output, weights);
  return loss_sum;
}

void Sequential::update_metrics(const Matrix& y, const Matrix& output, SampleWeights weights) {
  for (std::size_t i = 0; i < metrics_.size(); ++i)
    metrics_[i]->update(y, output, i < first_weighted_ ? SampleWeights{} : weights);
}

void Sequential::prepare_metrics() {
  metrics::Shapes shapes{.outputs = output_dim(), .target_columns = loss_->target_columns(output_dim())};
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

const std::vector<std::shared_ptr<metrics::Metric>>& Sequential::metrics() {
  if (metrics_.size() != metric_ids_.size() + weighted_metric_ids_.size()) {
    check(compiled() && built(), "Sequential '", name(), "': metrics() needs a built, compiled model.");
    prepare_metrics();
  }
  return metrics_;
}

void Sequential::reset_metrics() {
  for (auto& m : metrics_) m->reset();
}

namespace {
// Shuffled rows are scattered over the data set, so each copy waits on memory unless its lines were requested a few
// rows ahead: the prefetches keep several loads in flight (bench B1: the gather took a quarter of each step).
void gather_rows(const Matrix& from, const std::vector<Index>& order, Index first, Index count, Matrix& to) {
  constexpr Index kAhead = 4;
  constexpr Index kLine = 64 / sizeof(Scalar);
  if (to.rows() != count || to.cols() != from.cols()) to.resize(count, from.cols());
  const Index rows = static_cast<Index>(order.size());
  for (Index k = 0; k < count; ++k) {
    if (first + k + kAhead < rows) {
      const Scalar* ahead = from.row(order[static_cast<std::size_t>(first + k + kAhead)]).data();
      for (Index j = 0; j < from.cols(); j += kLine) __builtin_prefetch(ahead + j);
    }
    to.row(k) = from.row(order[static_cast<std::size_t>(first + k)]);
  }
}
}  // namespace

void Sequential::run_epoch(const Matrix& x, const Matrix& y, const Vector& weights, Index train_rows,
                           Index batch_size, bool shuffle, std::uint64_t seed, int epoch,
                           std::vector<Callback*>& callbacks, Logs& logs) {
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
  for (Index step = 0; step < steps; ++step) {
    const Index first = step * batch_size;
    const Index count = std::min(batch_size, train_rows - first);
    for (Callback* c : callbacks) c->on_batch_begin(static_cast<int>(step));
    gather_rows(x, b.order, first, count, b.x);
    gather_rows(y, b.order, first, count, b.y);
    SampleWeights batch_weights;
    if (weights.size() > 0) {
      if (b.weights.size() != count) b.weights.resize(count);
      for (Index k = 0; k < count; ++k) b.weights(k) = weights(b.order[static_cast<std::size_t>(first + k)]);
      batch_weights = SampleWeights(b.weights.data(), static_cast<std::size_t>(count));
    }
    loss_total += train_step(b.x, b.y, batch_weights);
    seen += count;
    b.batch_logs["loss"] = loss_total / static_cast<double>(seen);
    for (auto& m : metrics_) b.batch_logs[m->name()] = m->result();
    for (Callback* c : callbacks) c->on_batch_end(static_cast<int>(step), b.batch_logs);
    if (stop_training) break;
  }
  logs.clear();
  logs["loss"] = loss_total / static_cast<double>(std::max<Index>(seen, 1));
  for (auto& m : metrics_) logs[m->name()] = m->result();
}

History Sequential::fit(const Matrix& x, const Matrix& y, FitOptions options) {
  check_data(x, y, "fit");
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
  if (options.validation_data) check_data(options.validation_data->x, options.validation_data->y, "fit: validation_data");
  const Vector weights = fit_weights(y, options, "fit");

  const Index batch_size = optimizer_->full_batch() ? train_rows : std::min(options.batch_size, train_rows);
  const bool shuffle = options.shuffle && !optimizer_->full_batch();
  const std::uint64_t seed = options.seed.value_or(mix_seed(options_.seed, 0x5eed));
  prepare_metrics();
  refresh_trainable();
  buffers_->order.resize(static_cast<std::size_t>(train_rows));
  buffers_->batch_logs.clear();
  buffers_->batch_logs["loss"] = 0.0;
  for (auto& m : metrics_) buffers_->batch_logs[m->name()] = 0.0;

  std::unique_ptr<ProgressLogger> progress;
  std::vector<Callback*> callbacks;
  for (auto& c : options.callbacks) callbacks.push_back(c.get());
  if (options.verbose > 0) {
    progress = std::make_unique<ProgressLogger>(options.verbose, options.epochs,
                                                (train_rows + batch_size - 1) / batch_size, std::cout,
                                                is_terminal(std::cout));
    callbacks.push_back(progress.get());
  }
  const FitParams params{.epochs = options.epochs,
                         .steps = (train_rows + batch_size - 1) / batch_size,
                         .verbose = options.verbose,
                         .validating = options.validation_data.has_value() || train_rows < x.rows()};
  for (Callback* c : callbacks) {
    c->set_model(this);
    c->set_params(params);
  }

  History history;
  Logs logs;
  stop_training = false;
  for (Callback* c : callbacks) c->on_train_begin(logs);
  for (int epoch = options.initial_epoch; epoch < options.epochs && !stop_training; ++epoch) {
    for (Callback* c : callbacks) c->on_epoch_begin(epoch);
    run_epoch(x, y, weights, train_rows, batch_size, shuffle, seed, epoch, callbacks, logs);
    Logs val;
    if ((epoch + 1) % options.validation_freq != 0) {
      // Keras validates after epochs validation_freq, 2 * validation_freq, ... only.
    } else if (options.validation_data) {
      const Dataset& v = *options.validation_data;
      val = evaluate_rows(v.x, v.y, Vector(), 0, v.x.rows(), options.batch_size);
    } else if (train_rows < x.rows()) {
      // The validation rows keep their sample weights but, as in Keras, not their class weights.
      val = evaluate_rows(x, y, options.sample_weight, train_rows, x.rows() - train_rows, options.batch_size);
    }
    for (const auto& [k, v] : val) logs["val_" + k] = v;
    if (optimizer_->converged()) stop_training = true;
    for (Callback* c : callbacks) c->on_epoch_end(epoch, logs);
    history.epoch.push_back(epoch);
    for (const auto& [k, v] : logs) history.history[k].push_back(v);
  }
  for (Callback* c : callbacks) c->on_train_end(logs);
  for (Callback* c : callbacks) c->set_model(nullptr);
  return history;
}

Logs Sequential::evaluate_rows(const Matrix& x, const Matrix& y, const Vector& weights, Index first, Index rows,
                               Index batch_size) {
  check(batch_size > 0, "evaluate: expected batch_size > 0; received batch_size=", batch_size, ".");
  prepare_metrics();
  Buffers& b = *buffers_;
  double loss_total = 0.0;
  for (Index start = 0; start < rows; start += batch_size) {
    Index count = std::min(batch_size, rows - start);
    b.x = x.middleRows(first + start, count);
    b.y = y.middleRows(first + start, count);
    SampleWeights batch_weights;
    if (weights.size() > 0) batch_weights = SampleWeights(weights.data() + first + start, static_cast<std::size_t>(count));
    loss_total += test_step(b.x, b.y, batch_weights);
  }
  Logs logs{{"loss", loss_total / static_cast<double>(rows)}};
  for (auto& m : metrics_) logs[m->name()] = m->result();
  return logs;
}

Logs Sequential::evaluate(const Matrix& x, const Matrix& y, EvaluateOptions options) {
  check_data(x, y, "evaluate");
  check_sample_weight(options.sample_weight, x.rows(), "evaluate: sample_weight");
  return evaluate_rows(x, y, options.sample_weight, 0, x.rows(), options.batch_size);
}

Matrix Sequential::predict(const Matrix& x, PredictOptions options) {
  check(options.batch_size > 0, "predict: expected batch_size > 0; received batch_size=", options.batch_size, ".");
  // Each batch is checked as it is copied rather than the whole of x beforehand: nothing changes state before a
  // bad row, and a large x is not read from memory twice.
  ensure_built(x, "predict", false);
  Matrix out(x.rows(), output_dim());
  for (Index start = 0; start < x.rows(); start += options.batch_size) {
    Index count = std::min(options.batch_size, x.rows() - start);
    copy_rows_checked(x, start, count, buffers_->x, "predict");
    out.middleRows(start, count) = forward(buffers_->x, false);
  }
  return out;
}

Logs Sequential::train_on_batch(const Matrix& x, const Matrix& y, const Vector& sample_weight) {
  check_data(x, y, "train_on_batch");
  check_sample_weight(sample_weight, x.rows(), "train_on_batch: sample_weight");
  prepare_metrics();
  refresh_trainable();
  SampleWeights weights(sample_weight.data(), static_cast<std::size_t>(sample_weight.size()));
  double loss = train_step(x, y, weights) / static_cast<double>(x.rows());
  Logs logs{{"loss", loss}};
  for (auto& m : metrics_) logs[m->name()] = m->result();
  return logs;
}

Logs Sequential::test_on_batch(const Matrix& x, const Matrix& y, const Vector& sample_weight) {
  check_data(x, y, "test_on_batch");
  check_sample_weight(sample_weight, x.rows(), "test_on_batch: sample_weight");
  return evaluate_rows(x, y, sample_weight, 0, x.rows(), x.rows());
}

std::vector<Matrix> Sequential::get_weights() const {
  std::vector<Matrix> weights;
  for (const Param* p : weights_) weights.push_back(p->value);
  return weights;
}

void Sequential::set_weights(const std::vector<Matrix>& weights) {
  check(built_, "set_weights: the model is not built; add an Input or call build(input_dim) first.");
  check(weights.size() == weights_.size(), "set_weights: expected ", weights_.size(), " weights; received ",
        weights.size(), ".");
  for (std::size_t i = 0; i < weights.size(); ++i) {
    Param& p = *weights_[i];
    check(weights[i].rows() == p.value.rows() && weights[i].cols() == p.value.cols(), "set_weights: weight ", i,
          " ('", p.name, "') expected ", p.value.rows(), " x ", p.value.cols(), "; received ", weights[i].rows(), " x ",
          weights[i].cols(), ".");
    check_finite(weights[i], 0, "set_weights", str("weight ", i, " ('", p.name, "')").c_str());
  }
  for (std::size_t i = 0; i < weights.size(); ++i) weights_[i]->value = weights[i];
}

Index Sequential::count_params() const {
  check(built_, "count_params: the model is not built; add an Input or call build(input_dim) first.");
  Index n = 0;
  for (const Param* p : weights_) n += p->value.size();
  return n;
}

}  // namespace descent::nn
