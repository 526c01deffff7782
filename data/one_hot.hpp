// one_hot: class indices to one-hot rows, as keras.utils.to_categorical.
#pragma once

#include <descent/core/tensor.hpp>

namespace descent::data {

/// Rows of `labels` (samples x 1, class indices) as one-hot rows (samples x classes). A label that is not an integer
/// in [0, classes) is an Error.
Matrix one_hot(const Matrix& labels, Index classes);

}  // namespace descent::data
