// descent evaluate DIR --data test.csv: loss, metrics, and for classifiers the confusion matrix and per-class scores.
#include "commands.hpp"
#include "common.hpp"
#include "files.hpp"
#include "saved_model.hpp"

#include <descent/core/error.hpp>
#include <descent/core/text.hpp>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

namespace descent::cli {
namespace {

struct EvaluateArgs {
  std::string dir;
  DataArgs input;  // --data, --label, --labels, --limit, --delimiter
};

// MAE and RMSE beside the loss, and the same three for the mean predictor, which always answers the training
// rows' mean label (the test rows' mean for files that do not save it): a model that cannot beat it learned
// nothing from the features.
void add_regression_scores(std::ostream& out, nn::Logs& scores, const losses::Loss& loss, const Preprocessing& prep,
                           const Matrix& y, const Matrix& predicted) {
  auto errors = [&](const Matrix& guess, double& mae, double& rmse) {
    const Eigen::ArrayXd e = (guess.col(0) - y.col(0)).cast<double>().array();
    mae = e.abs().mean();
    rmse = std::sqrt(e.square().mean());
  };
  errors(predicted, scores["mae"], scores["rmse"]);
  const double mean = prep.label_mean ? *prep.label_mean : y.col(0).cast<double>().mean();
  const Matrix baseline = Matrix::Constant(y.rows(), 1, static_cast<Scalar>(mean));
  double mae = 0, rmse = 0;
  errors(baseline, mae, rmse);
  out << "Baseline, always predicting the " << (prep.label_mean ? "training" : "test rows'") << " mean "
      << mean << (prep.label_mean ? "" : " (the training mean is not saved)") << ": " << std::fixed
      << std::setprecision(4) << "loss " << loss.value(y, baseline) << " · mae " << mae << " · rmse " << rmse
      << std::defaultfloat << "\n";
}

void run_evaluate(const EvaluateArgs& a) {
  check_input_file(a.input.data, "--data");
  if (!a.input.labels.empty()) check_input_file(a.input.labels, "--labels");
  SavedModel s = load_model_dir(a.dir);
  const Samples samples = read_samples(a.input, true);
  // A CSV file's label column is the training label's, by name, unless --label names another.
  const std::string& given = a.input.label;
  check(samples.idx() || !s.prep.inferred || !given.empty(), a.dir, " has no descent.json (a model saved by the ",
        "API), so the label column is unknown. Expected --label with its name or index.");
  const std::string label_name = samples.idx() || !given.empty() ? given : s.prep.label_column;
  const Index label = label_column(samples, label_name, true);
  const Matrix x = model_inputs(s.prep, s.model, a.dir, samples, label);
  check(s.model.compiled(), a.dir, "/model.json: has no training configuration, so the loss to evaluate is unknown.");
  const Matrix y = s.prep.targets_of(samples.table, label, s.model.output_dim());
  nn::Logs scores = score(s.model, s.prep, x, y);
  const Matrix outputs = s.model.predict(x);
  std::cout << "Evaluated " << a.dir << " on " << samples.describe();
  if (samples.idx()) std::cout << " (labels " << a.input.labels << ")";
  std::cout << ": ";
  if (s.prep.task == Task::regression)
    std::cout << "regression of " << descent::quoted(s.prep.label_column);
  else
    std::cout << (s.prep.task == Task::binary ? "binary" : "multi-class") << " classifier of "
              << descent::quoted(s.prep.label_column)
              << (s.prep.logits
                      ? s.prep.task == Task::binary ? " (logits, through a sigmoid)" : " (logits, through a softmax)"
                      : "");
  std::cout << (s.prep.inferred ? "; no descent.json: every other column is a feature, unscaled\n" : "\n");
  std::ostringstream baseline;
  if (s.prep.task == Task::regression) add_regression_scores(baseline, scores, s.model.loss(), s.prep, y, outputs);
  print_evaluation(std::cout, s.prep, scores, y, s.prep.probabilities(outputs));
  if (s.prep.task == Task::regression) std::cout << "\n" << baseline.str();
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* c = app.add_subcommand("evaluate", "Score a saved model on a labelled CSV file or IDX images (regression: "
                                               "also MAE, RMSE and the mean predictor's scores)");
  c->add_option("DIR", args->dir, "Model directory written by descent fit, or saved by the API (model.save)")
      ->required();
  add_data_options(*c, args->input, "Test data: a CSV file with the training feature columns (by name) and the "
                                    "label, or IDX images with --labels",
                   "Label column of a CSV file: name or 0-based index (default: the training label's name; required "
                   "for a model without descent.json)");
  c->callback([args] { run_evaluate(*args); });
}

}  // namespace descent::cli
