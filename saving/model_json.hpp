// Model configs in Keras's own JSON dialects: Keras 3 to_json / config.json, Keras 2 to_json, TF.js model.json.
#pragma once

#include <descent/models/sequential.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace descent::nn {

/// A Sequential model from its config in any dialect (docs/FORMATS.md a.5): Keras 3 `model.to_json()` or the config.json
/// of a .keras file, Keras 2 `to_json()` with or without an InputLayer, or a TF.js model.json (topology under
/// "modelTopology", possibly wrapped in "model_config"). The model is built when the config gives the input width,
/// and compiled when it carries compile settings (compile_config, training_config or trainingConfig). Its weights are
/// freshly initialized; nn::load_model also reads trained weights. Every problem is a descent::Error naming the JSON
/// path, e.g. "model_from_json: config.layers[2].config.units: expected an integer; received \"8\"."
Model model_from_json(const std::string& text);
/// model_from_json on a file's contents; messages start with the path.
Model model_from_json_file(const std::string& path);
/// The same on parsed JSON; `source` starts every message ("model.json").
/// With `compile` false the compile settings are skipped.
Model model_from_config(const nlohmann::json& root, const std::string& source, bool compile = true);

/// Which spelling compile settings take: Keras (training_config, snake_case optimizer keys) or TF.js
/// (trainingConfig, camelCase keys, "Momentum" for SGD with momentum).
enum class Dialect { keras, tfjs };

/// The Keras-2 topology {"class_name": "Sequential", "config": {...}} with an explicit InputLayer when the input
/// width is known: the form TF.js and Keras 3 both read (docs/FORMATS.md a.5 rule 7). The TF.js dialect writes the
/// options TF.js knows by another name under that name (LeakyReLU's negative_slope as alpha).
nlohmann::json model_topology(const Model& model, Dialect dialect = Dialect::keras);
/// {"loss", "metrics", "optimizer_config", ...} of a compiled model.
nlohmann::json training_config(Model& model, Dialect dialect);
/// Compiles `model` from compile settings in any dialect (Keras 3 compile_config, Keras 2 training_config, TF.js
/// trainingConfig); `where` names the object in messages.
void compile_from_json(Model& model, const nlohmann::json& config, const std::string& where);

}  // namespace descent::nn
