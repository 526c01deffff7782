// The labels of the hinge losses: -1/1, or 0/1 converted to -1/1 as Keras does (convert_binary_labels_to_hinge).
#pragma once

#include <descent/core/tensor.hpp>

#include <string>

namespace descent::losses {

/// True when every value of y_true is 0 or 1. Keras decides this per call (per batch), over the whole tensor,
/// and then uses 2 y - 1; otherwise the labels are used as they are.
bool labels_are_zero_one(const Matrix& y_true);

/// The label Keras's hinge uses for y_true(i, j), given labels_are_zero_one(y_true).
inline double hinge_label(Scalar y, bool zero_one) { return zero_one ? 2.0 * y - 1.0 : static_cast<double>(y); }

/// Throws unless every label is in {-1, 1}, or every label is in {0, 1}. `loss` names the loss in the message.
void check_hinge_labels(const Matrix& y_true, const std::string& where, const std::string& loss);

}  // namespace descent::losses
