// Functional model configs: Keras 3's ("Functional", inbound_nodes of args and keras_history), Keras 2's and TF.js's
// ("Functional" / "Model", inbound_nodes of [layer, node, tensor, kwargs] lists).
#pragma once

#include <descent/core/config.hpp>
#include <descent/models/model.hpp>
#include <descent/saving/model_json.hpp>

#include <string>

namespace descent::nn::detail {

/// The model an {"class_name": "Functional" or "Model", "config": {...}} object describes, built; `source` and
/// `path` place messages.
Model read_functional(const json& object, const std::string& source, const std::string& path);
/// The Keras-2 dialect of a Functional model's config (class "Functional", or "Model" for TF.js), with an InputLayer
/// entry per input, which Keras 3 and TF.js both read.
json functional_topology(const Model& model, Dialect dialect);

}  // namespace descent::nn::detail
