// ModelCheckpoint, as Keras 3: with save_best_only a missing monitor value saves anyway (with a warning); the path
// is formatted before deciding, so the messages name the file.
#include "model_checkpoint.hpp"

#include <descent/core/output.hpp>
#include <descent/core/error.hpp>
#include <descent/callbacks/detail/python_format.hpp>
#include <descent/models/model.hpp>

#include <cstdio>
#include <filesystem>
#include <ostream>

namespace descent::nn {

namespace fs = std::filesystem;

ModelCheckpoint::ModelCheckpoint(std::string filepath, ModelCheckpointOptions options)
    : filepath_(std::move(filepath)),
      options_(std::move(options)),
      monitor_("ModelCheckpoint", options_.monitor, options_.mode, 0.0) {
  check(!filepath_.empty(), "ModelCheckpoint: expected a path to save to; received an empty one.");
  check(options_.save_freq >= 0, "ModelCheckpoint: expected save_freq 0 (each epoch) or a number of batches > 0; ",
        "received save_freq=", options_.save_freq, ".");
  python_format_fields(filepath_, "ModelCheckpoint: filepath");  // syntax errors now, not after an epoch
}

void ModelCheckpoint::on_train_begin(const Logs&) {
  if (options_.save_best_only) monitor_.resolve(model(), params());
  best_ = options_.initial_value_threshold.value_or(monitor_.worst());
  batches_since_save_ = 0;
}

void ModelCheckpoint::on_epoch_begin(int epoch) { epoch_ = epoch; }

void ModelCheckpoint::on_batch_end(int batch, const Logs& logs) {
  if (options_.save_freq == 0 || ++batches_since_save_ < options_.save_freq) return;
  batches_since_save_ = 0;
  save(epoch_, batch, logs);
}

void ModelCheckpoint::on_epoch_end(int epoch, Logs& logs) {
  if (options_.save_freq == 0) save(epoch, std::nullopt, logs);
}

void ModelCheckpoint::save(int epoch, std::optional<int> batch, const Logs& logs) {
  std::map<std::string, FormatValue> values;
  for (const auto& [key, value] : logs) values[key] = value;
  values["epoch"] = static_cast<long long>(epoch + 1);
  if (batch) values["batch"] = static_cast<long long>(*batch + 1);
  const std::string path = python_format(filepath_, values, "ModelCheckpoint: filepath");
  if (!should_save(epoch, logs, path)) return;
  if (fs::path parent = fs::path(path).parent_path(); !parent.empty()) {
    std::error_code ec;
    fs::create_directories(parent, ec);
    check(!ec, "ModelCheckpoint: cannot create the directory \"", parent.string(), "\": ", ec.message(), ".");
  }
  if (options_.save_weights_only)
    model().save_weights(path);
  else
    model().save(path);
  last_saved_ = path;
}

bool ModelCheckpoint::should_save(int epoch, const Logs& logs, const std::string& path) {
  if (!options_.save_best_only) {
    if (options_.verbose > 0) output() << "\nEpoch " << epoch + 1 << ": saving model to " << path << "\n";
    return true;
  }
  const std::optional<double> current = monitor_.value(logs);
  if (!current) return !monitor_.awaiting_validation(logs);  // Keras saves when it cannot compare
  char best_text[64], current_text[64];
  std::snprintf(best_text, sizeof best_text, "%.5f", best_);
  std::snprintf(current_text, sizeof current_text, "%.5f", *current);
  if (!monitor_.improves(*current, best_)) {
    if (options_.verbose > 0)
      output() << "\nEpoch " << epoch + 1 << ": " << monitor_.key() << " did not improve from " << best_text << "\n";
    return false;
  }
  if (options_.verbose > 0)
    output() << "\nEpoch " << epoch + 1 << ": " << monitor_.key() << " improved from " << best_text << " to "
              << current_text << ", saving model to " << path << "\n";
  best_ = *current;
  return true;
}

}  // namespace descent::nn
