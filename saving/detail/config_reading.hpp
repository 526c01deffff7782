// What the Sequential and Functional config readers share: JSON paths in messages, shapes, InputLayer entries.
#pragma once

#include <descent/core/config.hpp>
#include <descent/core/shape.hpp>

#include <initializer_list>
#include <string>

namespace descent::nn::detail {

/// "<source>: <json path>", or the source alone at the top level.
std::string at(const std::string& source, const std::string& path);
/// "path.key", or "key" at the top level.
std::string join(const std::string& path, const std::string& key);
/// Errors on keys of a top-level object (not a Keras object) outside `allowed`.
void check_keys(const json& object, std::initializer_list<const char*> allowed, const std::string& where);
/// The sample shape of a Keras shape: [null, 28, 28, 1] with a batch entry, [28, 28, 1] without.
Shape shape_of(const json& shape, bool with_batch, const std::string& where);
/// The sample shape of an InputLayer entry, its keys validated.
Shape read_input_layer(const json& object, const std::string& where);
/// Renames the options TF.js reads under another name (LeakyReLU's negative_slope is its alpha) in a layer entry.
void tfjs_spelling(json& entry);

}  // namespace descent::nn::detail
