// Shared pieces of the commands; train() is fit's whole pipeline, also used by the demo.
#include "common.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/core/output.hpp>
#include <descent/core/random.hpp>
#include <descent/core/text.hpp>
#include <descent/metrics/registry.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <sstream>

namespace descent::cli {

char parse_delimiter(const std::string& text) {
  if (text.empty()) return '\0';
  if (text == "," || text == "comma") return ',';
  if (text == ";" || text == "semicolon") return ';';
  if (text == "\t" || text == "tab" || text == "\\t") return '\t';
  fail(str("--delimiter: expected \",\", \";\" or \"tab\"; received \"", text, "\"."));
}

void add_delimiter_option(CLI::App& command, std::string& delimiter) {
  command.add_option("--delimiter", delimiter, "Field separator: , ; or tab (default: detected from the header)");
}

std::ostream& progress_stream() { return is_terminal(std::cout) ? std::cout : std::cerr; }

void add_train_options(CLI::App& c, TrainSettings& s, std::string& scale) {
  c.add_option("--epochs", s.epochs, "Passes over the training rows")->capture_default_str();
  c.add_option("--batch-size", s.batch_size, "Rows per optimizer step")->capture_default_str();
  c.add_option("--validation-split", s.validation_split,
               "Fraction of the rows (after a seeded shuffle) held out to validate each epoch")
      ->capture_default_str();
  c.add_option("--optimizer", s.optimizer, "Optimizer by Keras name: sgd, adam, rmsprop, ... (default: the "
                                           "config's, else adam)");
  c.add_option("--learning-rate", s.learning_rate, "Learning rate for the optimizer");
  c.add_option("--loss", s.loss, "Loss by Keras name (default: the config's, else binary_crossentropy, "
                                 "sparse_categorical_crossentropy or mean_squared_error by task)");
  c.add_option("--metrics", s.metrics, "Comma-separated metric names (default: the config's, else accuracy for "
                                       "classifiers); precision, recall and auc need a binary model")
      ->delimiter(',');
  c.add_option("--seed", s.seed, "Seed for the initial weights, the row shuffle and the batches")
      ->capture_default_str();
  c.add_option("--scale", scale, "Feature scaling fitted on the training rows: standard, minmax or none (default: "
                                 "standard; none for images, which the config scales, e.g. Rescaling(1/255))");
  c.add_option("--exclude", s.exclude, "Comma-separated columns to ignore (ids, notes)")->delimiter(',');
  c.add_option("--features", s.features, "Comma-separated feature columns by name, in the model's input order "
                                         "(default: every column but the label and --exclude's)")
      ->delimiter(',');
  c.add_option("--verbose", s.verbose, "0 quiet, 1 progress bar (one line per epoch when not a terminal), "
                                       "2 one line per epoch")
      ->capture_default_str();
}

namespace {

std::string default_loss(Task task) {
  switch (task) {
    case Task::binary: return "binary_crossentropy";
    case Task::multiclass: return "sparse_categorical_crossentropy";
    case Task::regression: return "mean_squared_error";
  }
  return "mean_squared_error";
}

std::string column_list(const std::vector<std::string>& names, std::size_t limit = 8) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i) out += (i ? ", " : "") + descent::quoted(names[i]);
  if (names.size() > limit) out += ", ...";
  return out;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// A metric fed the probabilities that a model's logits stand for: the sigmoid or softmax its loss applies goes in
// front, so accuracy's 0.5 threshold and AUC's thresholds see what they would for a model ending in that
// activation. It saves as the metric it wraps, so model.json stays plain Keras.
class OnProbabilities : public metrics::Metric {
 public:
  OnProbabilities(std::shared_ptr<metrics::Metric> inner, Task task) : inner_(std::move(inner)) {
    activation_.task = task;
    activation_.logits = true;
    set_name(inner_->name());
  }
  std::string class_name() const override { return inner_->class_name(); }
  nlohmann::json config() const override { return inner_->config(); }
  double result() const override { return inner_->result(); }
  void reset() override { inner_->reset(); }
  bool higher_is_better() const override { return inner_->higher_is_better(); }

 protected:
  void update_state(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) override {
    inner_->update(y_true, activation_.activated(y_pred), weights);
  }

 private:
  std::shared_ptr<metrics::Metric> inner_;
  Preprocessing activation_;  // only task and logits are set: what activated() needs
};

// Precision, recall and AUC count one positive class; on a multi-class model they would count every output column
// as a separate yes/no. They are refused there with a pointer to evaluate's per-class report, unless a class_id
// picks one class.
void check_metric_fits(const metrics::Metric& metric, Task task, Index outputs, const std::string& where) {
  const std::string c = metric.class_name();
  if (task != Task::multiclass || (c != "Precision" && c != "Recall" && c != "AUC")) return;
  const nlohmann::json config = metric.config();
  if (config.contains("class_id") && !config["class_id"].is_null()) return;
  fail(str(where, ": ", descent::quoted(metric.name()), " (", c,
           ") needs binary targets: one sigmoid unit, or one logit ",
           "with binary_crossentropy; the model is a classifier for ", outputs, " classes. Expected accuracy for a ",
           "multi-class model; descent evaluate reports each class's precision and recall (one-vs-rest)."));
}

// The feature columns of a CSV file: the --features columns in that order, else every column but the label and the
// excluded ones, in file order; their count must be the values per sample of the config's input shape, if it has
// one. Their names go to `feature_names`.
Matrix csv_features(const nn::Sequential& config, const std::string& config_source, const data::TextTable& table,
                    Index label_column, const TrainSettings& s, std::vector<std::string>& feature_names) {
  std::vector<Index> feature_index;
  check(s.features.empty() || s.exclude.empty(), "--features and --exclude: expected one of them; --features names ",
        "the columns to use, --exclude the ones to leave out of all the others.");
  for (const auto& name : s.exclude) {
    const Index c = table.column(trimmed(name), "column to --exclude");
    check(c != label_column, "--exclude: ", descent::quoted(name), " is the label column.");
  }
  for (const auto& given : s.features) {
    const std::string name = trimmed(given);
    const Index c = table.column(name, "feature column (--features)");
    check(c != label_column, "--features: ", descent::quoted(name),
          " is the label column; expected feature columns only.");
    check(std::find(feature_index.begin(), feature_index.end(), c) == feature_index.end(), "--features: ",
          descent::quoted(name), " is listed twice; expected each column once.");
    feature_index.push_back(c);
    feature_names.push_back(table.columns[static_cast<std::size_t>(c)]);
  }
  for (Index c = 0; s.features.empty() && c < static_cast<Index>(table.columns.size()); ++c) {
    const std::string& name = table.columns[static_cast<std::size_t>(c)];
    const bool excluded = std::any_of(s.exclude.begin(), s.exclude.end(),
                                      [&](const std::string& e) { return table.column(trimmed(e)) == c; });
    if (c == label_column || excluded) continue;
    feature_index.push_back(c);
    feature_names.push_back(name);
  }
  const Index width = static_cast<Index>(feature_index.size());
  check(width > 0, table.path, ": no feature columns besides the label \"",
        table.columns[static_cast<std::size_t>(label_column)], "\".");
  const Shape& declared = config.input_shape();
  if (declared.rank() == 1)
    check(declared.size() == width, config_source, ": the model takes ", declared.size(), " input features, but ",
          table.path, " has ", width, " feature columns (", column_list(feature_names), ") besides the label \"",
          table.columns[static_cast<std::size_t>(label_column)],
          "\". Expected equal widths: fix the config's input shape, remove it to take the width from the CSV, or ",
          "--exclude columns.");
  else if (!declared.empty())
    check(declared.size() == width, config_source, ": the model's input shape ", declared, " holds ",
          declared.size(), " values per sample, but ", table.path, " has ", width, " feature columns (",
          column_list(feature_names), ") besides the label \"",
          table.columns[static_cast<std::size_t>(label_column)], "\". Expected ", declared.size(),
          " feature columns, one per value in reading order (row by row, channels last): fix the config's input ",
          "shape, or --exclude or --features columns.");
  return table.numbers(feature_index);
}

}  // namespace

Trained train(const nn::Sequential& config_model, const std::string& config_source, const Samples& samples,
              Index label_column, const TrainSettings& s) {
  auto& config = const_cast<nn::Sequential&>(config_model);  // optimizer() has no const form; it is only read
  check(config.size() > 0, config_source, ": the model has no layers.");
  const data::TextTable& table = samples.table;

  // The features and the input shape: a CSV file's columns, the shape the config's or one axis of them; or IDX
  // images' pixels, the shape the config's (which they must fit) or the images'. An image's pixels are its values
  // in reading order, as a batch of images is one row per sample.
  std::vector<std::string> feature_names;
  Matrix x;
  Shape input = config.input_shape();
  if (samples.idx()) {
    check(s.features.empty() && s.exclude.empty(), "--features and --exclude pick the columns of a CSV file; the ",
          "IDX images of ", samples.images_path, " have none: every pixel is a feature.");
    if (input.empty())
      input = samples.image_shape;
    else
      check_image_shape(samples, input, config_source);
    x = samples.images;
    feature_names = pixel_columns(x.cols());
  } else {
    x = csv_features(config, config_source, table, label_column, s, feature_names);
    if (input.empty()) input = Shape(x.cols());
  }

  // A fresh model with the config's layers, built for that shape with the seed.
  Trained t{nn::Sequential({.name = config.name(), .seed = s.seed}), {}, {}, 0, 0};
  nn::Sequential& model = t.model;
  model.add(nn::Input(input));
  for (std::size_t i = 0; i < config.size(); ++i)
    model.add(config.layer(i).clone());
  // Compile settings: flags, then the config's, then the defaults of the task the last layer sets.
  std::shared_ptr<losses::Loss> loss =
      !s.loss.empty()      ? losses::get(s.loss)
      : config.compiled() ? losses::from_json(serialize(config.loss()), config_source + ": loss")
                          : losses::get(default_loss(task_of(model)));
  std::shared_ptr<optim::Optimizer> optimizer =
      !s.optimizer.empty() ? optim::get(s.optimizer)
      : config.compiled()  ? optim::from_json(serialize(config.optimizer()), config_source + ": optimizer")
                           : optim::get("adam");
  if (s.learning_rate) {
    check(*s.learning_rate > 0 && std::isfinite(*s.learning_rate), "--learning-rate: expected a positive number; ",
          "received ", *s.learning_rate, ".");
    optimizer->set_learning_rate(*s.learning_rate);
  }

  // Labels against the last layer and the loss (which may make a linear head a classifier), then targets.
  t.prep.feature_columns = feature_names;
  // Images go in as they are: the config scales them, as a Keras user's model does with Rescaling(1/255).
  const bool images = samples.idx() || input.rank() > 1;
  t.prep.scaling = s.scaling.value_or(images ? Scaling::none : Scaling::standard);
  infer_task(t.prep, model, table, label_column, *loss);
  Matrix y = t.prep.targets_of(table, label_column, model.output_dim());

  std::vector<metrics::MetricId> metric_ids;
  std::string metrics_source = "--metrics";
  if (s.metrics) {
    for (const auto& given : *s.metrics) {
      const std::string name = trimmed(given);
      check(!name.empty(), "--metrics: received an empty name; expected comma-separated names such as ",
            "accuracy,auc.");
      metric_ids.emplace_back(name);
    }
  } else if (config.compiled()) {
    metric_ids = config.metric_ids();
    metrics_source = config_source + ": metrics";
  } else if (t.prep.task != Task::regression) {
    metric_ids = {"accuracy"};
  }
  const metrics::Shapes shapes{.outputs = model.output_dim(),
                               .target_columns = loss->target_columns(model.output_dim())};
  for (const auto& id : metric_ids)
    check_metric_fits(*metrics::get(id, shapes), t.prep.task, model.output_dim(), metrics_source);
  model.compile(losses::LossId(loss), optim::OptimizerId(optimizer), metrics_for(t.prep, model, metric_ids));

  // Shuffle once, so the validation rows (the last ones, as Keras takes them) are a sample of the whole file.
  const Index n = x.rows();
  std::vector<Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Index{0});
  Rng rng(mix_seed(s.seed, 1));
  shuffle(order, rng);
  Matrix xs(n, x.cols()), ys(n, y.cols());
  for (Index i = 0; i < n; ++i) {
    xs.row(i) = x.row(order[static_cast<std::size_t>(i)]);
    ys.row(i) = y.row(order[static_cast<std::size_t>(i)]);
  }
  check(s.validation_split >= 0 && s.validation_split < 1, "--validation-split: expected a fraction in [0, 1); ",
        "received ", s.validation_split, ".");
  t.train_rows = static_cast<Index>(std::floor(static_cast<double>(n) * (1.0 - s.validation_split)));
  check(t.train_rows > 0 && (s.validation_split == 0 || t.train_rows < n), "--validation-split: ",
        s.validation_split, " of ", n, " rows leaves ", t.train_rows, " for training and ", n - t.train_rows,
        " for validation; both need at least one.");
  t.validation_rows = n - t.train_rows;
  t.prep.fit_scaler(xs.topRows(t.train_rows));
  xs = t.prep.scale(xs);
  if (t.prep.task == Task::regression) t.prep.label_mean = ys.topRows(t.train_rows).cast<double>().mean();

  check(s.epochs >= 0, "--epochs: expected a number >= 0; received ", s.epochs, ".");
  check(s.batch_size > 0, "--batch-size: expected a number > 0; received ", s.batch_size, ".");
  check(s.verbose >= 0 && s.verbose <= 2, "--verbose: expected 0, 1 or 2; received ", s.verbose, ".");
  nn::FitOptions fit{.epochs = s.epochs,
                     .batch_size = s.batch_size,
                     .validation_split = s.validation_split,
                     .shuffle = true,
                     .verbose = s.verbose,
                     .seed = mix_seed(s.seed, 2)};
  set_output(&progress_stream());  // the progress bar, and nothing else, goes where the user watches
  if (s.summary) model.summary(*s.summary);
  t.history = model.fit(xs, ys, fit);
  return t;
}

std::vector<metrics::MetricId> metrics_for(const Preprocessing& prep, const nn::Sequential& model,
                                           const std::vector<metrics::MetricId>& ids) {
  if (!prep.logits) return ids;
  const metrics::Shapes shapes{.outputs = model.output_dim(),
                               .target_columns = prep.targets == Targets::indices ? 1 : model.output_dim()};
  std::vector<metrics::MetricId> wrapped;
  for (const auto& id : ids)
    wrapped.emplace_back(std::shared_ptr<metrics::Metric>(
        std::make_shared<OnProbabilities>(metrics::get(id, shapes), prep.task)));
  return wrapped;
}

nn::Logs score(nn::Sequential& model, const Preprocessing& prep, const Matrix& x, const Matrix& y) {
  nn::Logs logs = model.evaluate(x, y);
  if (!prep.logits) return logs;
  // The saved metrics are the plain ones (OnProbabilities saves as what it wraps): they would see logits.
  const Matrix outputs = model.predict(x);
  for (const auto& id : metrics_for(prep, model, model.metric_ids())) {
    const std::shared_ptr<metrics::Metric>& metric = id.object();
    metric->reset();
    metric->update(y, outputs);
    logs[metric->name()] = metric->result();
  }
  return logs;
}

std::string format_logs(const nn::Logs& logs) {
  std::ostringstream out;
  out << std::setprecision(4) << std::fixed;
  auto put = [&](const std::string& k, double v) { out << (out.tellp() > 0 ? " · " : "") << k << " " << v; };
  std::vector<std::string> keys;
  for (const auto& [k, v] : logs) keys.push_back(k);
  std::stable_sort(keys.begin(), keys.end(), [](const std::string& a, const std::string& b) {
    auto rank = [](const std::string& k) { return (k.starts_with("val_") ? 2 : 0) + (k.ends_with("loss") ? 0 : 1); };
    return rank(a) < rank(b);
  });
  for (const auto& k : keys) put(k, logs.at(k));
  return out.str();
}

std::vector<Index> true_classes(const Preprocessing& prep, const Matrix& targets) {
  std::vector<Index> out(static_cast<std::size_t>(targets.rows()));
  for (Index i = 0; i < targets.rows(); ++i) {
    Index c = 0;
    if (prep.targets == Targets::one_hot)
      targets.row(i).maxCoeff(&c);
    else
      c = static_cast<Index>(targets(i, 0));
    out[static_cast<std::size_t>(i)] = c;
  }
  return out;
}

double accuracy_of(const Preprocessing& prep, const Matrix& targets, const Matrix& probabilities) {
  const auto truth = true_classes(prep, targets);
  const auto predicted = prep.predicted_classes(probabilities);
  Index right = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) right += truth[i] == predicted[i];
  return truth.empty() ? 0.0 : static_cast<double>(right) / static_cast<double>(truth.size());
}

void print_evaluation(std::ostream& out, const Preprocessing& prep, const nn::Logs& scores, const Matrix& targets,
                      const Matrix& probabilities, bool print_scores) {
  std::size_t key_width = 4;
  for (const auto& [k, v] : scores) key_width = std::max(key_width, k.size());
  out << std::fixed << std::setprecision(4);
  for (const auto& [k, v] : scores)
    if (print_scores && k == "loss") out << std::left << std::setw(static_cast<int>(key_width) + 2) << k << v << "\n";
  for (const auto& [k, v] : scores)
    if (print_scores && k != "loss") out << std::left << std::setw(static_cast<int>(key_width) + 2) << k << v << "\n";
  out << std::defaultfloat;
  if (prep.task == Task::regression) return;

  const auto truth = true_classes(prep, targets);
  const auto predicted = prep.predicted_classes(probabilities);
  const Index k = prep.labels.size();
  std::vector<std::vector<Index>> counts(static_cast<std::size_t>(k), std::vector<Index>(static_cast<std::size_t>(k)));
  for (std::size_t i = 0; i < truth.size(); ++i)
    ++counts[static_cast<std::size_t>(truth[i])][static_cast<std::size_t>(predicted[i])];
  int w = 9;
  for (const auto& c : prep.labels.classes()) w = std::max(w, static_cast<int>(c.size()) + 2);
  out << (print_scores ? "\n" : "") << "Confusion matrix (rows: true label, columns: predicted label)\n"
      << std::right << std::setw(w) << "";
  for (const auto& c : prep.labels.classes()) out << std::setw(w) << c;
  out << "\n";
  for (Index r = 0; r < k; ++r) {
    out << std::setw(w) << prep.labels.label(r);
    for (Index c = 0; c < k; ++c)
      out << std::setw(w) << counts[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
    out << "\n";
  }
  out << "\n" << std::setw(w) << "class" << std::setw(11) << "precision" << std::setw(9) << "recall" << std::setw(9)
      << "support" << "\n";
  for (Index c = 0; c < k; ++c) {
    Index tp = counts[static_cast<std::size_t>(c)][static_cast<std::size_t>(c)], predicted_c = 0, actual_c = 0;
    for (Index r = 0; r < k; ++r) {
      predicted_c += counts[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
      actual_c += counts[static_cast<std::size_t>(c)][static_cast<std::size_t>(r)];
    }
    auto ratio = [](Index a, Index b) -> std::string {
      if (b == 0) return "-";
      std::ostringstream s;
      s << std::fixed << std::setprecision(4) << static_cast<double>(a) / static_cast<double>(b);
      return s.str();
    };
    out << std::setw(w) << prep.labels.label(c) << std::setw(11) << ratio(tp, predicted_c) << std::setw(9)
        << ratio(tp, actual_c) << std::setw(9) << actual_c << "\n";
  }
  out << std::defaultfloat;
}

}  // namespace descent::cli
