// A saved model directory as descent fit writes it: model.json + weights.bin (TF.js layers-model) + descent.json.
#pragma once

#include "preprocessing.hpp"

#include <descent/models/sequential.hpp>

#include <string>

namespace descent::cli {

struct SavedModel {
  nn::Sequential model;
  Preprocessing prep;
};

/// Writes `model` (with its optimizer state) and `prep` into `dir` as one atomic replacement (files.hpp).
void save_model_dir(const nn::Sequential& model, const Preprocessing& prep, const std::string& dir);

/// Reads a directory written by save_model_dir. A path that is not such a directory is an Error saying what it holds
/// instead; a model.json path is taken as its directory.
SavedModel load_model_dir(const std::string& dir);

/// True when `path` is a directory (or a model.json file) rather than a config file.
bool looks_like_model_dir(const std::string& path);

}  // namespace descent::cli
