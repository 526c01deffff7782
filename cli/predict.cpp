// descent predict DIR --data new.csv: class probabilities and the predicted label (or the predicted value) per row.
#include "commands.hpp"
#include "common.hpp"
#include "files.hpp"
#include "saved_model.hpp"

#include <descent/core/error.hpp>

#include <iostream>
#include <memory>
#include <sstream>

namespace descent::cli {
namespace {

struct PredictArgs {
  std::string dir, output;
  DataArgs input;  // --data, --label, --labels, --limit, --delimiter
};

std::string number(double v) {
  std::ostringstream out;
  out.precision(6);
  out << v;
  return out.str();
}

void run_predict(const PredictArgs& a) {
  check_input_file(a.input.data, "--data");
  if (!a.output.empty()) {
    check_output_path(a.output, "--output");
    std::vector<NamedPath> inputs = model_directory_files(a.dir, "DIR");
    inputs.push_back({"--data", a.input.data});
    check_no_clashes(inputs, {{"--output", a.output}});
  }
  SavedModel s = load_model_dir(a.dir);
  const Samples samples = read_samples(a.input, false);
  const Index label = label_column(samples, a.input.label, false);
  const Matrix outputs = s.model.predict(model_inputs(s.prep, s.model, a.dir, samples, label));
  const std::string label_name = s.prep.label_column.empty() ? "predicted" : s.prep.label_column;

  data::TextTable result;
  result.delimiter = ',';
  if (s.prep.task == Task::regression) {
    result.columns = {label_name};
    for (Index i = 0; i < outputs.rows(); ++i) result.rows.push_back({number(outputs(i, 0))});
  } else {
    const Matrix p = s.prep.probabilities(outputs);
    const auto predicted = s.prep.predicted_classes(p);
    for (const auto& c : s.prep.labels.classes()) result.columns.push_back("p_" + c);
    result.columns.push_back(label_name);
    for (Index i = 0; i < p.rows(); ++i) {
      std::vector<std::string> row;
      for (Index c = 0; c < p.cols(); ++c) row.push_back(number(p(i, c)));
      row.push_back(s.prep.labels.label(predicted[static_cast<std::size_t>(i)]));
      result.rows.push_back(std::move(row));
    }
  }
  const std::string csv = data::to_csv(result);
  if (a.output.empty()) {
    std::cout << csv;
  } else {
    write_file_atomically(a.output, csv, "--output");
    std::cerr << "Wrote " << samples.size() << " predictions to " << a.output << "\n";
  }
}

}  // namespace

void add_predict_command(CLI::App& app) {
  auto args = std::make_shared<PredictArgs>();
  CLI::App* c =
      app.add_subcommand("predict", "Predict with a saved model: probabilities and label per CSV row or image");
  c->add_option("DIR", args->dir, "Model directory written by descent fit, or saved by the API (model.save)")
      ->required();
  add_data_options(*c, args->input, "A CSV file holding the training feature columns, matched by name (others "
                                    "ignored), or IDX images",
                   "For a model without descent.json: a column to leave out of the features (every other column is "
                   "one, in file order)",
                   false);
  c->add_option("--output", args->output, "Write the predictions to this CSV file instead of stdout");
  c->callback([args] { run_predict(*args); });
}

}  // namespace descent::cli
