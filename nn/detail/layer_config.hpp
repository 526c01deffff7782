// Readers for the config keys many Keras layers share; each layer's from_config uses them.
#pragma once

#include <descent/core/config.hpp>
#include <descent/nn/initializers.hpp>

#include <string>

namespace descent::nn {

/// Checks and passes over the keys every Keras layer config may carry that Descent does not use (dtype, input
/// shapes); layer_from_json calls it, with "trainable", before the class's factory runs.
void read_keys_every_layer_has(ConfigReader& r);
/// Reads "name".
std::string read_common(ConfigReader& r);
/// Throws when `key` is present: Keras writes it only when `feature`, which Descent lacks, is switched on.
void refuse_if_set(ConfigReader& r, const char* key, const char* feature);
/// An activation name, checked against the registry ("linear" when absent).
std::string read_activation(ConfigReader& r);
/// An initializer object or name at `key`, else `fallback`.
InitializerId read_initializer(ConfigReader& r, const char* key, const char* fallback);

}  // namespace descent::nn
