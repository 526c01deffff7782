// What `descent predict` needs besides the weights to treat new rows as fit treated the training rows: the feature
// columns by name, the scaler, the label mapping and the kind of task. Saved as descent.json beside model.json.
#pragma once

#include <descent/data/label_encoder.hpp>
#include <descent/data/minmax_scaler.hpp>
#include <descent/data/standard_scaler.hpp>
#include <descent/data/text_table.hpp>
#include <descent/models/sequential.hpp>

#include <descent/losses/loss.hpp>

#include <optional>
#include <string>
#include <vector>

namespace descent::cli {

/// binary: one sigmoid unit; multiclass: softmax over k units; regression: anything else.
enum class Task { binary, multiclass, regression };
std::string to_string(Task task);

/// How targets reach the loss: class indices (binary, sparse categorical), one-hot rows (categorical losses) or the
/// label values themselves (regression).
enum class Targets { indices, one_hot, values };
std::string to_string(Targets targets);

enum class Scaling { none, standard, minmax };
std::string to_string(Scaling scaling);
/// "standard", "minmax" or "none"; anything else is an Error listing those.
Scaling parse_scaling(const std::string& name);

/// The task a model sets with its last layer and its loss, as Keras reads them: one sigmoid unit is binary, softmax
/// is multi-class; a linear last layer with a from_logits cross-entropy is the same classifier computed from logits
/// (BinaryCrossentropy on one unit: binary; CategoricalCrossentropy or SparseCategoricalCrossentropy: multi-class);
/// anything else is regression. Without a loss (an uncompiled config) the last layer alone decides.
Task task_of(const nn::Sequential& model, const losses::Loss* loss = nullptr);

/// True when the model's outputs are logits: a linear last layer with a from_logits cross-entropy (task_of).
bool outputs_logits(const nn::Sequential& model, const losses::Loss* loss);

struct Preprocessing {
  std::vector<std::string> feature_columns;
  std::string label_column;
  Task task = Task::regression;
  Targets targets = Targets::values;
  data::LabelEncoder labels;  ///< fitted for classifiers only
  Scaling scaling = Scaling::none;
  data::StandardScaler standard;
  data::MinMaxScaler minmax;
  /// The model's outputs are logits (a linear last layer with a from_logits loss): probabilities() applies the
  /// sigmoid or softmax the model leaves to its loss.
  bool logits = false;
  /// For regression: the mean label of the training rows, evaluate's baseline (absent in older files).
  std::optional<double> label_mean;
  /// True when there was no descent.json (a model saved by the API): the features are every column but the label,
  /// in file order, unscaled, and numeric labels are class indices.
  bool inferred = false;

  /// The feature columns of `table`, found by name in any order (other columns are ignored), scaled. A missing
  /// column is an Error naming it.
  Matrix features(const data::TextTable& table) const;
  /// Fits the scaler on x and returns x scaled.
  Matrix fit_scaler(const Matrix& x);
  Matrix scale(const Matrix& x) const;
  /// Targets for the loss from the label column `column` of `table`: class indices or one-hot rows for classifiers
  /// (an unknown label is an Error naming its line), the numbers themselves for regression.
  Matrix targets_of(const data::TextTable& table, Index column, Index outputs) const;
  /// For classifiers: each row's class probabilities (samples x classes) from the model's outputs (after a sigmoid
  /// or softmax when they are logits).
  Matrix probabilities(const Matrix& outputs) const;
  /// The model's outputs as a model ending in sigmoid or softmax would give them: the metrics' input. Logits go
  /// through the activation; anything else is returned as it is.
  Matrix activated(const Matrix& outputs) const;
  /// The most probable class of each row of probabilities().
  std::vector<Index> predicted_classes(const Matrix& probabilities) const;

  std::string to_json() const;
  /// Reads descent.json and checks it on its own: known names, no duplicate features or classes, scaler vectors of
  /// one value per feature, finite, with positive scales. Every problem is an Error starting with `source` and
  /// naming the field.
  static Preprocessing from_json(const std::string& text, const std::string& source);
  /// Checks the file against the model it came with: one feature per model input, one class per softmax output or
  /// two for a sigmoid unit, a task the model's last layer and loss give. `source` names descent.json.
  void check_matches(const nn::Sequential& model, const std::string& source) const;
};

/// The Preprocessing of a model saved without descent.json (by the API's model.save): the task and whether the
/// outputs are logits from the last layer and the loss, the classes "0".."k-1" (numeric labels are class indices),
/// no scaling. The feature columns are filled in from the data file (use_columns).
Preprocessing inferred_preprocessing(const nn::Sequential& model);

/// For an inferred Preprocessing: the feature columns are every column of `table` but `label_column` (-1: none), in
/// file order; their count must be the model's input width, or an Error says so. `model_source` names the model.
void use_columns(Preprocessing& prep, const nn::Sequential& model, const std::string& model_source,
                 const data::TextTable& table, Index label_column);

/// The classifier check fit runs before training: the label column's classes against the model's last layer
/// (1 sigmoid unit: 2 classes; softmax over k units: k classes), and numeric labels for regression. Fits
/// `prep.labels` and sets prep.task, prep.targets and prep.logits from the model and its compiled `loss`. A label
/// column with one class, or with fractional numbers (a continuous column) for a classifier, is an Error naming the
/// column, what it holds and what the model expects.
void infer_task(Preprocessing& prep, const nn::Sequential& model, const data::TextTable& table, Index label_column,
                const losses::Loss& loss);

}  // namespace descent::cli
