// descent fit CONFIG --data train.csv --label COLUMN: train, report, save the model directory, log and plot.
#include "commands.hpp"
#include "common.hpp"
#include "files.hpp"
#include "saved_model.hpp"
#include "training_log.hpp"

#include <descent/core/error.hpp>
#include <descent/saving/model_json.hpp>
#include <descent/trainers/interrupt.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

namespace descent::cli {
namespace {

struct FitArgs {
  std::string config, out = "model", log, plot, scale;
  DataArgs input;  // --data, --label, --labels, --limit, --delimiter
  TrainSettings settings;
};

std::string classes_text(const Preprocessing& prep) {
  std::string out;
  for (const auto& c : prep.labels.classes()) out += (out.empty() ? "" : ", ") + c;
  return out;
}

// The first Ctrl-C asks training to stop after the current batch, so that what was trained is saved; SA_RESETHAND
// puts the default action back as the handler starts, so a second Ctrl-C ends the program at once.
void stop_training_on_ctrl_c() {
  struct sigaction action {};
  action.sa_handler = [](int) { nn::interrupt_training(); };
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
}

void run_fit(FitArgs a) {
  if (!a.scale.empty()) a.settings.scaling = parse_scaling(a.scale);
  // Every path is checked before the minutes of training it would otherwise waste: the inputs are files, and every
  // output can be written and replaces neither an input nor another output.
  check_input_file(a.config, "CONFIG");
  check_input_file(a.input.data, "--data");
  std::vector<NamedPath> inputs = {{"CONFIG", a.config}, {"--data", a.input.data}};
  if (!a.input.labels.empty()) {
    check_input_file(a.input.labels, "--labels");
    inputs.push_back({"--labels", a.input.labels});
  }
  check_output_dir(a.out);
  std::vector<NamedPath> outputs = {{"--out", a.out, true}};
  if (!a.log.empty()) {
    check_output_path(a.log, "--log");
    outputs.push_back({"--log", a.log});
  }
  if (!a.plot.empty()) {
    check_plot_name(a.plot);
    outputs.push_back({"--plot", a.plot});
  }
  check_no_clashes(inputs, outputs);

  nn::Sequential config = nn::model_from_json_file(a.config);
  const Samples samples = read_samples(a.input, true);
  const Index label = label_column(samples, a.input.label, true);
  if (a.settings.verbose > 0) a.settings.summary = &std::cout;
  stop_training_on_ctrl_c();
  Trained t = train(config, a.config, samples, label, a.settings);
  std::signal(SIGINT, SIG_DFL);

  const Preprocessing& p = t.prep;
  std::cout << "Trained " << t.history.size() << " epochs on " << t.train_rows
            << (samples.idx() ? " images of " : " rows of ") << a.input.data;
  if (t.validation_rows > 0) std::cout << ", validated on " << t.validation_rows;
  std::cout << " (";
  if (samples.idx()) std::cout << "labels " << a.input.labels << ", ";
  std::cout << p.feature_columns.size() << " features, " << to_string(p.scaling) << " scaling; ";
  if (p.task == Task::regression)
    std::cout << "regression of \"" << p.label_column << "\")\n";
  else
    std::cout << (p.task == Task::binary ? "binary" : "multi-class") << " classifier of \"" << p.label_column
              << "\": " << classes_text(p) << ")\n";
  nn::Logs last;
  for (const auto& [key, values] : t.history.history)
    if (!values.empty()) last[key] = values.back();
  if (!last.empty()) std::cout << "Final epoch: " << format_logs(last) << "\n";

  save_model_dir(t.model, t.prep, a.out);
  std::cout << "Saved the model to " << a.out << " (model.json, weights.bin, descent.json)\n";
  write_log_and_plot(t.history, a.log, a.plot, std::cout);
  if (t.history.interrupted) {
    std::cout << "Training was interrupted (Ctrl-C): the model saved is the one trained so far.\n" << std::flush;
    std::exit(130);  // the shell's code for a program ended by SIGINT
  }
}

}  // namespace

void add_fit_command(CLI::App& app) {
  auto args = std::make_shared<FitArgs>();
  CLI::App* c =
      app.add_subcommand("fit", "Train a model from a Keras JSON config on a CSV file (or IDX images) and save it");
  c->add_option("CONFIG", args->config, "Model config: Keras 3 / Keras 2 to_json, or a TF.js model.json")->required();
  add_data_options(*c, args->input, "Training data: a CSV file with a header row, or IDX images (such as "
                                    "train-images-idx3-ubyte.gz) with --labels",
                   "Label column of a CSV file: name, or 0-based index (-1 = last)");
  add_train_options(*c, args->settings, args->scale);
  c->add_option("--out", args->out, "Directory to save the model in (replaced atomically)")->capture_default_str();
  c->add_option("--log", args->log, "Write the per-epoch history as CSV");
  c->add_option("--plot", args->plot,
                "Draw training curves (.png or .svg) with gnuplot (from a temporary log unless --log "
                "names one)");
  c->callback([args] { run_fit(*args); });
}

}  // namespace descent::cli
