// What the descent commands share: option parsing helpers, the progress stream, training from a table, reports.
#pragma once

#include "preprocessing.hpp"
#include "samples.hpp"

#include <descent/data/text_table.hpp>
#include <descent/models/sequential.hpp>

#include <CLI/CLI.hpp>

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace descent::cli {

/// --delimiter: "," ";" "tab" (or a literal tab); "" detects it from the header.
char parse_delimiter(const std::string& text);
void add_delimiter_option(CLI::App& command, std::string& delimiter);

/// Progress goes to stdout on a terminal and to stderr otherwise, so `descent fit ... > report.txt` keeps the
/// report clean.
std::ostream& progress_stream();

/// fit's options besides the files.
struct TrainSettings {
  int epochs = 50;
  Index batch_size = 32;
  double validation_split = 0.0;
  std::string optimizer;                 ///< "": the config's, else "adam"
  std::optional<double> learning_rate;   ///< replaces the optimizer's rate
  std::string loss;                      ///< "": the config's, else from the task
  std::optional<std::vector<std::string>> metrics;  ///< unset: the config's, else accuracy for classifiers
  std::uint64_t seed = 42;
  /// Unset: none for images (IDX files, or a config whose input shape has more than one axis), which the config
  /// scales as a Keras user's does (a Rescaling layer); else standard.
  std::optional<Scaling> scaling;
  int verbose = 1;
  std::vector<std::string> exclude;   ///< columns that are neither features nor the label
  std::vector<std::string> features;  ///< the feature columns, in this order (empty: all but the label and excluded)
  std::ostream* summary = nullptr;   ///< where to print the model's summary before training, if anywhere
};

void add_train_options(CLI::App& command, TrainSettings& settings, std::string& scale);

struct Trained {
  nn::Sequential model;
  Preprocessing prep;
  nn::History history;
  Index train_rows = 0;
  Index validation_rows = 0;
};

/// Trains the model `config` describes on `samples`, whose labels are column `label_column` of samples.table. The
/// features of a CSV file are the --features columns in that order, or every column but the label and the excluded
/// ones in file order; of IDX images, their pixels. The input shape is the config's, whose values per sample must be
/// the feature count (an image input (28, 28, 1) takes 784 columns, the pixels in reading order, channels last; a
/// mismatch is an Error naming the shape, its size and the column count) or which IDX images must fit
/// (check_image_shape); without one, one axis of the columns, or the images' shape. The task comes from the labels,
/// the last layer and the loss (a linear last layer with a from_logits loss is a classifier whose metrics see
/// probabilities); compile settings from the flags, then the config, then the task's defaults. Rows are shuffled
/// with the seed before the validation split takes the last fraction, and the scaler is fitted on the training rows
/// only. `config_source` names the config in messages.
Trained train(const nn::Sequential& config, const std::string& config_source, const Samples& samples,
              Index label_column, const TrainSettings& settings);

/// Metrics that take probabilities, for a model whose outputs are logits: each metric (resolved by name as compile
/// would) gets prep.activated(y_pred). The metrics save as the ones they wrap. Others are returned as they are.
std::vector<metrics::MetricId> metrics_for(const Preprocessing& prep, const nn::Sequential& model,
                                           const std::vector<metrics::MetricId>& ids);

/// The model's loss and metrics on (x, y), the metrics on probabilities when the outputs are logits (metrics_for).
nn::Logs score(nn::Sequential& model, const Preprocessing& prep, const Matrix& x, const Matrix& y);

/// "loss 0.0731 · accuracy 0.9825" for logs in key order (loss first).
std::string format_logs(const nn::Logs& logs);

/// Evaluation report: loss and metrics, and for classifiers the confusion matrix and per-class precision, recall and
/// support, from the probabilities the model gave for `table`'s rows.
void print_evaluation(std::ostream& out, const Preprocessing& prep, const nn::Logs& scores, const Matrix& targets,
                      const Matrix& probabilities, bool print_scores = true);

/// Fraction of rows whose predicted class equals the true class index.
double accuracy_of(const Preprocessing& prep, const Matrix& targets, const Matrix& probabilities);

/// The true class index of each row of targets (indices or one-hot).
std::vector<Index> true_classes(const Preprocessing& prep, const Matrix& targets);

}  // namespace descent::cli
