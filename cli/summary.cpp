// descent summary CONFIG|DIR: the Keras-style table, compile settings, and what a saved model expects.
#include "commands.hpp"
#include "common.hpp"
#include "saved_model.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/saving/model_json.hpp>
#include <descent/saving/saving.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

namespace descent::cli {
namespace {

void print_compile(nn::Sequential& model) {
  if (!model.compiled()) {
    std::cout << "Not compiled: descent fit uses its flags, else the task's loss and adam.\n";
    return;
  }
  const json optimizer = serialize(model.optimizer());
  std::cout << "Loss: " << model.loss().name() << "; optimizer: " << optimizer.value("class_name", "?");
  if (const auto& config = optimizer["config"]; config.contains("learning_rate") && config["learning_rate"].is_number())
    std::cout << " (learning_rate " << config["learning_rate"].get<double>() << ")";
  std::cout << "; metrics:";
  if (model.metric_ids().empty()) std::cout << " none";
  for (const auto& m : model.metric_ids()) std::cout << " " << (m.is_name() ? m.name() : m.object()->name());
  std::cout << "\n";
}

void run_summary(const std::string& path) {
  std::error_code ec;
  const bool dir = looks_like_model_dir(path);
  const std::filesystem::path folder =
      std::filesystem::is_directory(path, ec) ? std::filesystem::path(path) : std::filesystem::path(path).parent_path();
  if (dir && std::filesystem::exists(folder / "descent.json", ec)) {
    SavedModel s = load_model_dir(path);
    s.model.summary(std::cout);
    print_compile(s.model);
    const Preprocessing& p = s.prep;
    std::cout << "Task: " << to_string(p.task) << " on \"" << p.label_column << "\"";
    if (p.task != Task::regression) {
      std::cout << ", classes:";
      for (const auto& c : p.labels.classes()) std::cout << " " << c;
    }
    std::cout << "\nFeatures (" << p.feature_columns.size() << ", matched by name, " << to_string(p.scaling)
              << " scaling):";
    // An image's 784 pixel columns would bury the table: the first few, then the count.
    constexpr std::size_t kShown = 12;
    for (std::size_t i = 0; i < p.feature_columns.size() && i < kShown; ++i) std::cout << " " << p.feature_columns[i];
    if (p.feature_columns.size() > kShown) std::cout << " ... (" << p.feature_columns.size() << " in all)";
    std::cout << "\n";
    return;
  }
  nn::Sequential model = dir ? nn::load_model(path) : nn::model_from_json_file(path);
  model.summary(std::cout);
  print_compile(model);
  if (!model.built()) std::cout << "Input width: not in the config; descent fit takes it from the CSV's columns.\n";
}

}  // namespace

void add_summary_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  CLI::App* c = app.add_subcommand("summary", "Show a model config's or saved model's layers, shapes and parameters");
  c->add_option("MODEL", *path, "A Keras JSON config file, or a model directory")->required();
  c->callback([path] { run_summary(*path); });
}

}  // namespace descent::cli
