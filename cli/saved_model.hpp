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

/// Reads a directory written by save_model_dir, or one a model was saved in by the API (model.json and weights, no
/// descent.json: prep is inferred_preprocessing, its feature columns still to be taken from the data with
/// use_columns). A path that is not such a directory is an Error saying what it holds instead; a model.json path is
/// taken as its directory. descent.json is checked against the model (Preprocessing::check_matches).
SavedModel load_model_dir(const std::string& dir);

/// True when `path` is a directory (or a model.json file) rather than a config file.
bool looks_like_model_dir(const std::string& path);

}  // namespace descent::cli
