// Preprocessing: task inference, feature matching by name, scaling, label encoding, and descent.json.
#include "preprocessing.hpp"

#include <descent/data/one_hot.hpp>
#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/core/text.hpp>
#include <descent/losses/binary_crossentropy.hpp>
#include <descent/losses/categorical_crossentropy.hpp>
#include <descent/losses/sparse_categorical_crossentropy.hpp>
#include <descent/nn/layer.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace descent::cli {
namespace {

std::string quoted_list(const std::vector<std::string>& items, std::size_t limit = 12) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i) out += (i ? ", " : "") + descent::quoted(items[i]);
  if (items.size() > limit) out += str(", ... (", items.size(), " in all)");
  return out;
}

const nn::Layer& last_layer(const nn::Sequential& model) {
  check(model.size() > 0, "the model has no layers.");
  return model.layer(model.size() - 1);
}

std::string describe_output(const nn::Sequential& model) {
  const nn::Layer& last = last_layer(model);
  std::string act = last.final_activation().empty() ? "linear" : last.final_activation();
  const Index units = model.output_dim();
  return str("the model's last layer '", last.name(), "' is ", units, " ", act, " unit", units == 1 ? "" : "s");
}

std::vector<double> to_vector(const Eigen::RowVectorXd& v) { return {v.data(), v.data() + v.size()}; }

// "<source>: <field>" for messages about one field of descent.json.
std::string field(const std::string& source, const std::string& name) { return str(source, ": ", name); }

// One scaler vector of descent.json: `size` finite numbers, one per feature column.
Eigen::RowVectorXd read_vector(const json& value, const std::string& source, const std::string& name,
                               std::size_t size, const std::string& each = "one per feature column") {
  check(value.is_array(), field(source, name), ": expected a list of ", size, " numbers; received ", describe(value),
        ".");
  check(value.size() == size, field(source, name), " has ", value.size(), value.size() == 1 ? " value" : " values",
        "; expected ", size, ", ", each, ".");
  Eigen::RowVectorXd out(static_cast<Index>(size));
  for (std::size_t i = 0; i < size; ++i) {
    check(value[i].is_number(), field(source, name), "[", i, "]: expected a number; received ", describe(value[i]),
          ".");
    out(static_cast<Index>(i)) = value[i].get<double>();
    check(std::isfinite(out(static_cast<Index>(i))), field(source, name), "[", i, "]: expected a finite number; ",
          "received ", value[i].dump(), ".");
  }
  return out;
}

// Positive entries, as a scale or a range must be: a zero would divide by zero.
void check_positive(const Eigen::RowVectorXd& v, const std::string& source, const std::string& name,
                    const std::vector<std::string>& features) {
  for (Index i = 0; i < v.size(); ++i)
    check(v(i) > 0, field(source, name), "[", i, "] (feature ", descent::quoted(features[static_cast<std::size_t>(i)]),
          "): expected a positive number; received ", v(i), ".");
}

// The first name listed twice, or "".
std::optional<std::string> first_duplicate(const std::vector<std::string>& names) {
  std::set<std::string> seen;
  for (const auto& n : names)
    if (!seen.insert(n).second) return n;
  return std::nullopt;
}

// The classifier a from_logits cross-entropy makes of `units` linear outputs, or regression when it makes none.
Task logits_task(const losses::Loss* loss, Index units) {
  if (const auto* b = dynamic_cast<const losses::BinaryCrossentropy*>(loss))
    return b->options().from_logits && units == 1 ? Task::binary : Task::regression;
  if (const auto* c = dynamic_cast<const losses::CategoricalCrossentropy*>(loss))
    return c->options().from_logits && units > 1 ? Task::multiclass : Task::regression;
  if (const auto* sc = dynamic_cast<const losses::SparseCategoricalCrossentropy*>(loss))
    return sc->options().from_logits && units > 1 ? Task::multiclass : Task::regression;
  return Task::regression;
}

template <class Enum>
Enum parse_enum(const std::string& text, std::initializer_list<Enum> values, const std::string& where) {
  std::string valid;
  for (Enum v : values) {
    if (to_string(v) == text) return v;
    valid += (valid.empty() ? "\"" : ", \"") + to_string(v) + "\"";
  }
  fail(str(where, ": expected one of ", valid, "; received \"", text, "\"."));
}

}  // namespace

std::string to_string(Task task) {
  switch (task) {
    case Task::binary: return "binary";
    case Task::multiclass: return "multiclass";
    case Task::regression: return "regression";
  }
  return "?";
}

std::string to_string(Targets targets) {
  switch (targets) {
    case Targets::indices: return "indices";
    case Targets::one_hot: return "one_hot";
    case Targets::values: return "values";
  }
  return "?";
}

std::string to_string(Scaling scaling) {
  switch (scaling) {
    case Scaling::none: return "none";
    case Scaling::standard: return "standard";
    case Scaling::minmax: return "minmax";
  }
  return "?";
}

Scaling parse_scaling(const std::string& name) {
  return parse_enum(name, {Scaling::standard, Scaling::minmax, Scaling::none}, "--scale");
}

bool outputs_logits(const nn::Sequential& model, const losses::Loss* loss) {
  const std::string act = last_layer(model).final_activation();
  return (act.empty() || act == "linear") && logits_task(loss, model.output_dim()) != Task::regression;
}

Task task_of(const nn::Sequential& model, const losses::Loss* loss) {
  const std::string act = last_layer(model).final_activation();
  if (act == "sigmoid" && model.output_dim() == 1) return Task::binary;
  if (act == "softmax") return Task::multiclass;
  if (outputs_logits(model, loss)) return logits_task(loss, model.output_dim());
  return Task::regression;
}

void infer_task(Preprocessing& prep, const nn::Sequential& model, const data::TextTable& table, Index label_column,
                const losses::Loss& loss) {
  const auto column = static_cast<std::size_t>(label_column);
  const std::string& name = table.columns[column];
  const std::vector<std::string> labels = table.text(label_column);
  const Index units = model.output_dim();
  prep.label_column = name;
  prep.task = task_of(model, &loss);
  prep.logits = outputs_logits(model, &loss);
  const std::string logits_note = prep.logits ? str(" (logits for ", loss.name(), " with from_logits)") : "";
  if (prep.task == Task::regression) {
    for (std::size_t i = 0; i < labels.size(); ++i) {
      double value = 0.0;
      check(data::parse_number(labels[i], value), table.place(static_cast<Index>(i)), ": the label column ",
            descent::quoted(name), " holds ", descent::quoted(labels[i]), ", but ", describe_output(model),
            ", a regression output, which needs numeric labels. Expected numbers; for classes end the model with ",
            "Dense(1, activation=\"sigmoid\") (two classes) or Dense(k, activation=\"softmax\") (k classes).");
    }
    check(units == 1, table.path, ": ", describe_output(model), ", a regression output with ", units,
          " values per sample, but the label column ", descent::quoted(name),
          " gives one. Expected a last layer with 1 unit, or a sigmoid/softmax layer for classes.");
    prep.targets = Targets::values;
    return;
  }
  const Index expected = prep.task == Task::binary ? 2 : units;
  const std::string kind =
      prep.task == Task::binary ? "a binary classifier" : str("a classifier for ", units, " classes");

  // What the column holds, before any encoding: class labels, not measurements, and more than one class. (The
  // encoder keeps integer labels as class indices, so a column of zeros alone would pass as two classes.)
  std::set<std::string> distinct;
  std::size_t fractional = labels.size();  // the first row with a number that is not an integer
  bool numbers = true;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::string canonical = data::LabelEncoder::canonical_number(labels[i]);
    double value = 0.0;
    numbers = numbers && !canonical.empty();
    if (!canonical.empty() && data::parse_number(labels[i], value) && std::floor(value) != value &&
        fractional == labels.size())
      fractional = i;
    distinct.insert(canonical.empty() ? labels[i] : canonical);
  }
  if (numbers && fractional < labels.size())
    fail(str(table.path, ": the label column ", descent::quoted(name), " holds ", distinct.size(),
             " distinct numbers, fractions among them (", descent::quoted(labels[fractional]), " at ",
             table.place(static_cast<Index>(fractional)), "): a continuous column, not class labels; ",
             describe_output(model), logits_note, ", ", kind, ", which expects ", expected,
             " classes. Expected class labels (words, or the ",
             "integers 0 to ", expected - 1, "); to predict the number itself end the model with Dense(1) and a ",
             "regression loss such as mean_squared_error, or pick another --label."));
  if (distinct.size() == 1)
    fail(str(table.path, ": the label column ", descent::quoted(name), " holds one class, ",
             descent::quoted(*distinct.begin()), ", in all ", labels.size(), labels.size() == 1 ? " row" : " rows",
             "; ", describe_output(model), logits_note, ", ", kind, ", which expects ", expected,
             " classes. Expected examples of at least two classes: check --label and the file."));

  prep.labels.fit(labels, expected);
  const Index found = prep.labels.size();
  if (found != expected) {
    std::string hint = found == 2 ? str(" For two classes end the model with Dense(1, activation=\"sigmoid\") and ",
                                        "binary_crossentropy.")
                                  : str(" For ", found, " classes end the model with Dense(", found,
                                        ", activation=\"softmax\") and sparse_categorical_crossentropy.");
    fail(str(table.path, ": the label column ", descent::quoted(name), " holds ", found, " classes (",
             quoted_list(prep.labels.classes()), "), but ", describe_output(model), logits_note, ", ", kind,
             ". Expected ", expected, " classes.", hint));
  }
  const bool sparse = loss.class_name().starts_with("Sparse") || prep.task == Task::binary;
  prep.targets = sparse ? Targets::indices : Targets::one_hot;
}

Preprocessing inferred_preprocessing(const nn::Sequential& model) {
  Preprocessing prep;
  prep.inferred = true;
  const losses::Loss* loss = model.compiled() ? &model.loss() : nullptr;
  prep.task = task_of(model, loss);
  prep.logits = outputs_logits(model, loss);
  if (prep.task == Task::regression) {
    prep.targets = Targets::values;
    return prep;
  }
  // Without a label mapping the labels are the class indices the model was trained on.
  std::vector<std::string> classes;
  for (Index c = 0; c < (prep.task == Task::binary ? 2 : model.output_dim()); ++c) classes.push_back(std::to_string(c));
  prep.labels.set(std::move(classes), true);
  prep.targets = loss && loss->class_name() == "CategoricalCrossentropy" ? Targets::one_hot : Targets::indices;
  return prep;
}

void use_columns(Preprocessing& prep, const nn::Sequential& model, const std::string& model_source,
                 const data::TextTable& table, Index label_column) {
  prep.feature_columns.clear();
  for (Index c = 0; c < static_cast<Index>(table.columns.size()); ++c)
    if (c != label_column) prep.feature_columns.push_back(table.columns[static_cast<std::size_t>(c)]);
  if (label_column >= 0) prep.label_column = table.columns[static_cast<std::size_t>(label_column)];
  const auto width = static_cast<Index>(prep.feature_columns.size());
  check(width == model.input_dim(), model_source, " has no descent.json, so every column of ", table.path,
        label_column >= 0 ? str(" but the label ", descent::quoted(prep.label_column)) : std::string(),
        " is a feature, in file order, unscaled: ", width, " columns (", quoted_list(prep.feature_columns, 8),
        "), but the model takes ", model.input_dim(), " inputs. Expected ", model.input_dim(), " feature columns",
        label_column >= 0 ? "" : "; name a label column to leave out with --label", ".");
}

Matrix Preprocessing::features(const data::TextTable& table) const {
  std::vector<Index> columns;
  std::vector<std::string> missing;
  for (const auto& name : feature_columns) {
    const Index c = table.find(name);
    if (c < 0) missing.push_back(name);
    columns.push_back(c);
  }
  check(missing.empty(), table.path, ": missing ", missing.size() == 1 ? "the feature column " : "the feature columns ",
        quoted_list(missing), " the model was trained on. Expected every training feature by name (in any order); ",
        "the file has ", quoted_list(table.columns), ".");
  return scale(table.numbers(columns));
}

Matrix Preprocessing::fit_scaler(const Matrix& x) {
  if (scaling == Scaling::standard) standard.fit(x);
  if (scaling == Scaling::minmax) minmax.fit(x);
  return scale(x);
}

Matrix Preprocessing::scale(const Matrix& x) const {
  switch (scaling) {
    case Scaling::standard: return standard.transform(x);
    case Scaling::minmax: return minmax.transform(x);
    case Scaling::none: break;
  }
  return x;
}

Matrix Preprocessing::targets_of(const data::TextTable& table, Index column, Index outputs) const {
  if (task == Task::regression) return table.numbers({column});
  const Matrix indices = labels.transform(table.text(column), [&](std::size_t i) {
    return str(table.place(static_cast<Index>(i)), ": column \"", table.columns[static_cast<std::size_t>(column)],
               "\"");
  });
  return targets == Targets::one_hot ? data::one_hot(indices, outputs) : indices;
}

Matrix Preprocessing::activated(const Matrix& outputs) const {
  if (!logits) return outputs;
  if (task == Task::binary) return (1 / (1 + (-outputs.array()).exp())).matrix();
  // softmax(z) = exp(z - max z) / sum exp(z - max z), row by row; the shift keeps exp from overflowing.
  Matrix p = outputs;
  for (Index i = 0; i < p.rows(); ++i) {
    p.row(i).array() = (p.row(i).array() - p.row(i).maxCoeff()).exp();
    p.row(i) /= p.row(i).sum();
  }
  return p;
}

Matrix Preprocessing::probabilities(const Matrix& outputs) const {
  const Matrix a = activated(outputs);
  if (task != Task::binary) return a;
  Matrix p(a.rows(), 2);
  p.col(0) = (1 - a.col(0).array()).matrix();
  p.col(1) = a.col(0);
  return p;
}

std::vector<Index> Preprocessing::predicted_classes(const Matrix& p) const {
  std::vector<Index> out(static_cast<std::size_t>(p.rows()));
  for (Index i = 0; i < p.rows(); ++i) {
    Index best = 0;
    // Ties go to the lower class, so p = 0.5 is class 0 as in binary accuracy's p > 0.5.
    for (Index c = 1; c < p.cols(); ++c)
      if (p(i, c) > p(i, best)) best = c;
    out[static_cast<std::size_t>(i)] = best;
  }
  return out;
}

std::string Preprocessing::to_json() const {
  // Ordered, so the file reads top-down: what it is, then the columns, the task, the scaler.
  nlohmann::ordered_json out = {{"format", "descent-preprocessing"},
              {"version", 1},
              {"feature_columns", feature_columns},
              {"label_column", label_column},
              {"task", to_string(task)},
              {"targets", to_string(targets)},
              {"outputs", logits ? "logits" : "probabilities"}};
  if (task != Task::regression) {
    out["classes"] = labels.classes();
    out["labels_are_numbers"] = labels.numeric();
  }
  if (task == Task::regression && label_mean) out["label_mean"] = *label_mean;
  if (scaling == Scaling::standard)
    out["scaler"] = {{"class_name", "StandardScaler"},
                     {"config", {{"mean", to_vector(standard.mean())}, {"scale", to_vector(standard.scale())}}}};
  else if (scaling == Scaling::minmax)
    out["scaler"] = {{"class_name", "MinMaxScaler"},
                     {"config",
                      {{"feature_range", {minmax.options().feature_min, minmax.options().feature_max}},
                       {"data_min", to_vector(minmax.data_min())},
                       {"data_range", to_vector(minmax.data_range())}}}};
  else
    out["scaler"] = nullptr;
  return out.dump(2) + "\n";
}

Preprocessing Preprocessing::from_json(const std::string& text, const std::string& source) {
  json root = parse_json(text, source);
  check(root.is_object(), source, ": expected a JSON object; received ", describe(root), ".");
  ConfigReader r(root, source);
  std::string format, task, targets, outputs = "probabilities";
  int version = 0;
  r.read("format", format);
  check(format == "descent-preprocessing", field(source, "format"), ": expected \"descent-preprocessing\"; received ",
        descent::quoted(format), ".");
  r.read("version", version);
  check(version == 1, field(source, "version"), ": expected 1; received ", version, ".");
  Preprocessing prep;
  const json* features = r.find("feature_columns");
  check(features && features->is_array() && !features->empty(), field(source, "feature_columns"),
        ": expected a list of column names.");
  for (const auto& f : *features) {
    check(f.is_string(), field(source, "feature_columns"), ": expected names; received ", describe(f), ".");
    prep.feature_columns.push_back(f.get<std::string>());
  }
  if (auto twice = first_duplicate(prep.feature_columns))
    fail(str(field(source, "feature_columns"), ": lists ", descent::quoted(*twice),
             " twice; expected each column once."));
  r.read("label_column", prep.label_column);
  check(!prep.label_column.empty(), field(source, "label_column"), ": expected the label column's name.");
  check(std::find(prep.feature_columns.begin(), prep.feature_columns.end(), prep.label_column) ==
            prep.feature_columns.end(),
        field(source, "label_column"), ": ", descent::quoted(prep.label_column), " is also listed in feature_columns; ",
        "expected the label apart from the features.");
  r.read("task", task);
  prep.task = parse_enum(task, {Task::binary, Task::multiclass, Task::regression}, field(source, "task"));
  r.read("targets", targets);
  prep.targets = parse_enum(targets, {Targets::indices, Targets::one_hot, Targets::values}, field(source, "targets"));
  check((prep.task == Task::regression) == (prep.targets == Targets::values) &&
            (prep.task != Task::binary || prep.targets == Targets::indices),
        field(source, "targets"), ": ", descent::quoted(targets), " does not go with task ", descent::quoted(task),
        "; expected ",
        prep.task == Task::regression ? "\"values\""
        : prep.task == Task::binary   ? "\"indices\""
                                      : "\"indices\" or \"one_hot\"",
        ".");
  r.read("outputs", outputs);
  check(outputs == "probabilities" || outputs == "logits", field(source, "outputs"), ": expected \"probabilities\" ",
        "or \"logits\"; received ", descent::quoted(outputs), ".");
  prep.logits = outputs == "logits";
  check(!prep.logits || prep.task != Task::regression, field(source, "outputs"), ": \"logits\" needs a ",
        "classifier; the task is \"regression\".");
  if (prep.task != Task::regression) {
    const json* classes = r.find("classes");
    check(classes && classes->is_array() && classes->size() >= 2, field(source, "classes"),
          ": expected a list of at least two class labels.");
    std::vector<std::string> names;
    for (const auto& c : *classes) {
      check(c.is_string(), field(source, "classes"), ": expected strings; received ", describe(c), ".");
      names.push_back(c.get<std::string>());
    }
    check(prep.task != Task::binary || names.size() == 2, field(source, "classes"), " has ", names.size(),
          " classes; expected 2 for task \"binary\".");
    bool numeric = false;
    r.read("labels_are_numbers", numeric);
    // Numeric labels are compared as numbers, so "1" and "1.0" would be one class.
    std::vector<std::string> keys = names;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string canonical = data::LabelEncoder::canonical_number(names[i]);
      check(!numeric || !canonical.empty(), field(source, "classes"), "[", i, "]: ", descent::quoted(names[i]),
            " is not a number, but labels_are_numbers is true.");
      if (numeric) keys[i] = canonical;
    }
    if (auto twice = first_duplicate(keys))
      fail(str(field(source, "classes"), ": lists ", descent::quoted(*twice), " twice; expected each class once."));
    prep.labels.set(std::move(names), numeric);
  }
  if (prep.task == Task::regression) {
    if (const json* mean = r.find("label_mean")) {
      check(mean->is_number() && std::isfinite(mean->get<double>()), field(source, "label_mean"),
            ": expected a finite number; received ", describe(*mean), ".");
      prep.label_mean = mean->get<double>();
    }
  }
  const std::size_t width = prep.feature_columns.size();
  if (const json* scaler = r.find("scaler")) {
    auto [name, config] = split_class_and_config(*scaler, field(source, "scaler"));
    ConfigReader c(config, field(source, "scaler.config"));
    if (name == "StandardScaler") {
      prep.scaling = Scaling::standard;
      const json* mean = c.find("mean");
      const json* scale = c.find("scale");
      check(mean && scale, field(source, "scaler.config"), ": expected \"mean\" and \"scale\".");
      Eigen::RowVectorXd m = read_vector(*mean, source, "scaler.config.mean", width);
      Eigen::RowVectorXd sd = read_vector(*scale, source, "scaler.config.scale", width);
      check_positive(sd, source, "scaler.config.scale", prep.feature_columns);
      prep.standard.set(std::move(m), std::move(sd));
    } else if (name == "MinMaxScaler") {
      prep.scaling = Scaling::minmax;
      const json* range = c.find("feature_range");
      const json* low = c.find("data_min");
      const json* span = c.find("data_range");
      check(range && low && span, field(source, "scaler.config"),
            ": expected \"feature_range\", \"data_min\" and \"data_range\".");
      Eigen::RowVectorXd fr = read_vector(*range, source, "scaler.config.feature_range", 2, "low and high");
      check(fr(0) < fr(1), field(source, "scaler.config.feature_range"), ": expected low < high; received [", fr(0),
            ", ", fr(1), "].");
      prep.minmax = data::MinMaxScaler({.feature_min = fr(0), .feature_max = fr(1)});
      Eigen::RowVectorXd lo = read_vector(*low, source, "scaler.config.data_min", width);
      Eigen::RowVectorXd span_values = read_vector(*span, source, "scaler.config.data_range", width);
      check_positive(span_values, source, "scaler.config.data_range", prep.feature_columns);
      prep.minmax.set(std::move(lo), std::move(span_values));
    } else {
      fail(str(field(source, "scaler.class_name"), ": expected \"StandardScaler\" or \"MinMaxScaler\"; received ",
               descent::quoted(name), "."));
    }
    c.finish();
  }
  r.finish();
  return prep;
}

void Preprocessing::check_matches(const nn::Sequential& model, const std::string& source) const {
  check(model.input_dim() == static_cast<Index>(feature_columns.size()), field(source, "feature_columns"), " lists ",
        feature_columns.size(), " columns, but model.json takes ", model.input_dim(), " inputs; expected one ",
        "feature column per model input.");
  const losses::Loss* loss = model.compiled() ? &model.loss() : nullptr;
  const Task from_model = task_of(model, loss);
  check(from_model == task, field(source, "task"), ": ", descent::quoted(to_string(task)), ", but ",
        describe_output(model), loss ? str(" with loss ", loss->name()) : std::string(), ", which makes it ",
        descent::quoted(to_string(from_model)), ". Expected the task the model's last layer and loss give.");
  check(logits == outputs_logits(model, loss), field(source, "outputs"), ": ",
        logits ? "\"logits\"" : "\"probabilities\"", ", but ", describe_output(model),
        loss ? str(" with loss ", loss->name()) : std::string(), "; expected ",
        logits ? "\"probabilities\"" : "\"logits\"", ".");
  if (task == Task::multiclass)
    check(labels.size() == model.output_dim(), field(source, "classes"), " has ", labels.size(), " classes, but ",
          describe_output(model), "; expected one class per output.");
}

}  // namespace descent::cli
