// Defaults of the Layer interface.
#include "layer.hpp"

#include "error.hpp"

namespace descent::nn {

const Matrix& Layer::logits() const {
  fail(str(class_name(), " '", name_, "': has no final activation, so no logits."));
}

const Matrix& Layer::backward_from_logits(const Matrix&) {
  fail(str(class_name(), " '", name_, "': has no final activation to skip in backward."));
}

}  // namespace descent::nn
