// Defaults of the Layer interface.
#include "layer.hpp"

#include "registry.hpp"

#include <descent/nn/layers/merging/merge.hpp>

#include <descent/core/error.hpp>
#include <descent/core/text.hpp>

#include <nlohmann/json.hpp>

#include <string_view>

namespace descent::nn {

std::string Layer::where() const {
  return name_.empty() ? str(class_name(), " (unnamed)") : str(class_name(), " '", escaped(name_), "'");
}

void Layer::build(const Shape& input_shape, Rng& rng) {
  check(!input_shape.empty() && input_shape.valid(), where(),
        ": expected an input shape of positive dimensions; received ", input_shape, ".");
  try {
    build_weights(input_shape, rng);
  } catch (const Error& e) {  // a Param too large, or an initializer's complaint: say which layer, once
    const std::string prefix = str(where(), ": ");
    if (std::string_view(e.what()).starts_with(prefix)) throw;  // a shape check that named the layer itself
    fail(prefix + e.what());
  } catch (const std::bad_alloc&) {
    fail(str(where(), ": not enough memory for its weights (input shape ", input_shape, ")."));
  }
  input_shape_ = input_shape;
}

void Layer::check_input(const Matrix& x) const {
  if (input_shape_.empty() || x.cols() == input_shape_.size()) return;  // no string is built on the hot path
  fail(str(where(), ": expected input with ", input_shape_.size(), " columns; received x with ",
           x.cols(), " columns (x is ", x.rows(), " x ", x.cols(), "; samples of shape ", input_shape_, ")."));
}

std::unique_ptr<Layer> Layer::clone() const {
  return layer_from_json(layer_to_json(*this), str(where(), " (clone)"));
}

SymbolicTensor Layer::operator()(const SymbolicTensor& x) { return call({x}, false); }
SymbolicTensor Layer::operator()(const std::vector<SymbolicTensor>& xs) { return call(xs, true); }

SymbolicTensor Layer::call(std::vector<SymbolicTensor> inputs, bool list) {
  if (called_) return called_->call(std::move(inputs), list);
  check(list == takes_list(), where(),
        list ? ": takes one input; call it on a tensor, not a list." : ": takes a list of inputs, as layer({a, b}).");
  check(!inputs.empty(), where(), ": called on an empty list of tensors.");
  Shape shape;
  try {
    if (list) {
      std::vector<Shape> shapes;
      for (const SymbolicTensor& x : inputs) shapes.push_back(x.shape());
      shape = dynamic_cast<const Merge&>(*this).compute_output_shape(shapes);
    } else {
      shape = compute_output_shape(inputs.front().shape());
    }
  } catch (const Error& e) {
    const std::string prefix = str(where(), ": ");
    if (std::string_view(e.what()).starts_with(prefix)) throw;
    fail(prefix + e.what());
  }
  std::shared_ptr<Layer> self = self_.lock();
  if (!self) {  // the first call: the layer moves into the graph and this object becomes its handle
    self = move_to_heap(std::move(*this));
    self->self_ = self;
    called_ = self;
  }
  auto made = std::make_shared<descent::detail::LayerCall>();
  made->layer = std::move(self);
  made->inputs = std::move(inputs);
  made->takes_list = list;
  made->shape = std::move(shape);
  made->serial = detail::next_call_serial();
  return SymbolicTensor(std::move(made));
}

void Layer::set_generator_state(const std::string& state) {
  check(state.empty(), where(), ": has no random generator whose state could be restored.");
}

std::vector<Param*> Layer::weights() {
  std::vector<Param*> all = params();
  for (Param* p : non_trainable_params()) all.push_back(p);
  return all;
}

const Matrix& Layer::logits() const {
  fail(str(where(), ": has no final activation, so no logits."));
}

const Matrix& Layer::backward_from_logits(const Matrix&) {
  fail(str(where(), ": has no final activation to skip in backward."));
}

}  // namespace descent::nn
