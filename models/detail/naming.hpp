// Keras's default names for layers and models: "dense", "dense_1", "batch_normalization", ...
#pragma once

#include <functional>
#include <string>

namespace descent::nn::detail {

/// Keras's to_snake_case (keras/src/utils/naming.py): "BatchNormalization" -> "batch_normalization", "PReLU" ->
/// "p_re_lu", "ZeroPadding2D" -> "zero_padding2d".
std::string snake_case(const std::string& name);
/// `base`, or the first of "<base>_1", "<base>_2", ... that is not `taken`.
std::string unique_name(const std::string& base, const std::function<bool(const std::string&)>& taken);

}  // namespace descent::nn::detail
