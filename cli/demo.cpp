// Plain `descent` (or `descent demo`): trains the bundled breast-cancer classifier and reports its test accuracy.
#include "commands.hpp"
#include "common.hpp"
#include "files.hpp"
#include "training_log.hpp"

#include <descent/data/label_encoder.hpp>
#include <descent/data/split.hpp>
#include <descent/nn/layers/core/dense.hpp>
#include <descent/core/error.hpp>
#include <descent/optim/sgd.hpp>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

#ifndef DESCENT_SOURCE_DATASETS
#define DESCENT_SOURCE_DATASETS "datasets"
#endif
#ifndef DESCENT_INSTALLED_DATASETS
#define DESCENT_INSTALLED_DATASETS "../share/descent/datasets"
#endif

namespace descent::cli {
namespace fs = std::filesystem;
namespace {

struct DemoArgs {
  std::string data, log, plot;
  int epochs = 50;
  std::uint64_t seed = 42;
  int verbose = 1;
};

// A path relative to the working directory when it lies below it, as a user would type it.
std::string shown(const fs::path& path) {
  std::error_code ec;
  const fs::path relative = fs::proximate(path, ec);
  return !ec && !relative.empty() && *relative.begin() != ".." ? relative.string() : path.lexically_normal().string();
}

// The copy installed beside the program (<prefix>/share/descent/datasets), else the source tree's; `in_source` and
// `installed` are the folders relative to those roots.
std::vector<fs::path> bundled(const std::string& name, const std::string& installed, const std::string& in_source) {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates;
  if (!ec)
    candidates.push_back((exe.parent_path() / DESCENT_INSTALLED_DATASETS / ".." / installed / name).lexically_normal());
  candidates.push_back((fs::path(DESCENT_SOURCE_DATASETS) / ".." / in_source / name).lexically_normal());
  return candidates;
}

std::string find_dataset(const std::string& name) {
  std::error_code ec;
  const auto candidates = bundled(name, "datasets", "datasets");
  for (const auto& c : candidates)
    if (fs::is_regular_file(c, ec)) return shown(c);
  std::string tried;
  for (const auto& c : candidates) tried += (tried.empty() ? "" : ", ") + c.lexically_normal().string();
  fail(str("demo: cannot find ", name, " (looked in ", tried, "). Expected the bundled data set; pass --data PATH."));
}

void run_demo(const DemoArgs& a) {
  const std::string path = a.data.empty() ? find_dataset("breast_cancer.csv") : a.data;
  check_input_file(path, "--data");
  std::vector<NamedPath> outputs;
  if (!a.log.empty()) {
    check_output_path(a.log, "--log");
    outputs.push_back({"--log", a.log});
  }
  if (!a.plot.empty()) {
    check_plot_name(a.plot);
    outputs.push_back({"--plot", a.plot});
  }
  check_no_clashes({{"--data", path}}, outputs);
  const data::TextTable table = data::read_text_table(path);
  const Index label = table.column("malignant", "label column");

  // Hold out a stratified 20 % the model never sees: the rows `descent split --label malignant` puts in the test file.
  Matrix rows(table.size(), 1);
  for (Index i = 0; i < table.size(); ++i) rows(i, 0) = static_cast<Scalar>(i);
  data::LabelEncoder encoder;
  const Matrix classes = encoder.fit(table.text(label), 2).transform(table.text(label));
  auto [train_ids, test_ids] = data::train_test_split(rows, classes, {.test_size = 0.2, .seed = 42, .stratify = true});
  auto pick = [&](const Matrix& ids) {
    std::vector<Index> order;
    for (Index i = 0; i < ids.rows(); ++i) order.push_back(static_cast<Index>(ids(i, 0)));
    return table.select(order);
  };
  const data::TextTable train_table = pick(train_ids.x), test_table = pick(test_ids.x);

  // The model of examples/configs/breast_cancer_keras3.json: 30 -> 16 relu -> 1 sigmoid, SGD with momentum.
  nn::Sequential config({.name = "breast_cancer"});
  config.add(nn::Dense(16, {.activation = "relu"}));
  config.add(nn::Dense(1, {.activation = "sigmoid"}));
  config.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.05, .momentum = 0.9}), {"accuracy"});

  std::cout << "Descent demo: a small neural network learns to tell malignant from benign breast tumours\n"
            << "Data: " << path << " (" << table.size() << " tumours, " << table.columns.size() - 1
            << " measurements each); training on " << train_table.size() << ", testing on " << test_table.size()
            << " held out\n";
  TrainSettings settings{.epochs = a.epochs, .batch_size = 32, .validation_split = 0.1, .seed = a.seed,
                         .verbose = a.verbose, .summary = &std::cout};
  Trained t = train(config, "demo model", Samples{.table = train_table}, label, settings);

  const Matrix x = t.prep.features(test_table);
  const Matrix y = t.prep.targets_of(test_table, label, t.model.output_dim());
  const nn::Logs scores = t.model.evaluate(x, y);
  const Matrix p = t.prep.probabilities(t.model.predict(x));
  const double accuracy = accuracy_of(t.prep, y, p);
  const auto correct = static_cast<Index>(std::lround(accuracy * static_cast<double>(y.rows())));
  std::cout << "\nTest accuracy: " << std::fixed << std::setprecision(2) << 100 * accuracy << " % (" << correct
            << " of " << y.rows() << " held-out tumours classified correctly), test loss " << std::setprecision(4)
            << scores.at("loss") << std::defaultfloat << "\n\n";
  print_evaluation(std::cout, t.prep, scores, y, p, false);
  if (!a.log.empty() || !a.plot.empty()) std::cout << "\n";
  write_log_and_plot(t.history, a.log, a.plot, std::cout);
  std::error_code ec;
  for (const auto& config : bundled("breast_cancer_keras3.json", "configs", "examples/configs"))
    if (fs::is_regular_file(config, ec)) {
      std::cout << "\nThe same model from its Keras config, saved for evaluate and predict:\n  descent fit "
                << shown(config) << " --data " << path << " --label malignant --out model\n";
      break;
    }
}

}  // namespace

CLI::App* add_demo_command(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* c = app.add_subcommand("demo", "Train the bundled breast-cancer classifier and report its test accuracy "
                                           "(what plain `descent` runs)");
  c->add_option("--data", args->data, "The breast-cancer CSV (default: the bundled datasets/breast_cancer.csv)");
  c->add_option("--epochs", args->epochs, "Passes over the training rows")->capture_default_str();
  c->add_option("--seed", args->seed, "Seed for the initial weights and the shuffles")->capture_default_str();
  c->add_option("--verbose", args->verbose, "0 quiet, 1 progress, 2 one line per epoch")->capture_default_str();
  c->add_option("--log", args->log, "Write the per-epoch history as CSV");
  c->add_option("--plot", args->plot,
                "Draw training curves (.png or .svg) with gnuplot (from a temporary log unless --log "
                "names one)");
  c->callback([args] { run_demo(*args); });
  return c;
}

}  // namespace descent::cli
