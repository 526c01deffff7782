// The descent program's file helpers beyond core/files.hpp: whole-file reads and the checks on a model directory.
#pragma once

#include <descent/core/files.hpp>

#include <functional>
#include <string>

namespace descent::cli {

/// The file's bytes; a missing or unreadable file is an Error naming it.
std::string read_file(const std::string& path);

/// Files a saved-model directory may hold: model.json, *.bin and descent.json.
bool is_saved_model_file(const std::string& name);

/// Checks, before training, that `dir` can receive a saved model: its parent directory exists, and `dir` is either
/// absent or a directory holding only saved-model files (so a mistyped --out never replaces someone's folder).
void check_output_dir(const std::string& dir);

/// check_output_dir, then descent::replace_directory: `fill` writes the model directory into a hidden sibling that
/// is swapped in whole.
void replace_model_directory(const std::string& dir, const std::function<void(const std::string& staging)>& fill);

}  // namespace descent::cli
