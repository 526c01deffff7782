// Defaults of the Layer interface.
#include "layer.hpp"

#include "registry.hpp"

#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

void Layer::build(const Shape& input_shape, Rng& rng) {
  check(!input_shape.empty() && input_shape.valid(), class_name(), " '", name_,
        "': expected an input shape of positive dimensions; received ", input_shape, ".");
  try {
    build_weights(input_shape, rng);
  } catch (const Error& e) {  // a Param too large, or an initializer's complaint: say which layer
    fail(str(class_name(), " '", name_, "': ", e.what()));
  } catch (const std::bad_alloc&) {
    fail(str(class_name(), " '", name_, "': not enough memory for its weights (input shape ", input_shape, ")."));
  }
  input_shape_ = input_shape;
}

void Layer::check_input(const Matrix& x) const {
  if (input_shape_.empty() || x.cols() == input_shape_.size()) return;  // no string is built on the hot path
  fail(str(class_name(), " '", name_, "': expected input with ", input_shape_.size(), " columns; received x with ",
           x.cols(), " columns (x is ", x.rows(), " x ", x.cols(), "; samples of shape ", input_shape_, ")."));
}

std::unique_ptr<Layer> Layer::clone() const {
  return layer_from_json(layer_to_json(*this), str(class_name(), " '", name_, "' (clone)"));
}

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
