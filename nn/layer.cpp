// Defaults of the Layer interface.
#include "layer.hpp"

#include <descent/core/error.hpp>

namespace descent::nn {

std::vector<Param*> Layer::weights() {
  std::vector<Param*> all = params();
  for (Param* p : non_trainable_params()) all.push_back(p);
  return all;
}

const Matrix& Layer::logits() const {
  fail(str(class_name(), " '", name_, "': has no final activation, so no logits."));
}

const Matrix& Layer::backward_from_logits(const Matrix&) {
  fail(str(class_name(), " '", name_, "': has no final activation to skip in backward."));
}

}  // namespace descent::nn
