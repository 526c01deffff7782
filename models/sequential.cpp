// Sequential: adding and building layers in a chain, and the chain's forward and backward passes.
#include "sequential.hpp"

#include "detail/graph.hpp"
#include "detail/naming.hpp"

#include <descent/core/error.hpp>
#include <descent/core/random.hpp>
#include <descent/core/text.hpp>

#include <algorithm>
#include <cctype>

namespace descent::nn {

Sequential::Sequential(SequentialOptions options)
    : Model(std::move(options.name), options.seed ? *options.seed : next_random_seed()) {}

Sequential::Sequential(Model&& model) : Model(std::move(model)) {
  check(is_chain(), where(), ": is a Functional model, not a Sequential; hold it as an nn::Model.");
}

Sequential& Sequential::add(std::unique_ptr<Layer> layer) {
  check(layer != nullptr, where(), ": add() received no layer.");
  check(!layer->moved_into_graph(), where(), ": ", layer->where(), " was called on a symbolic tensor and belongs to ",
        "that graph; add a new layer.");
  if (layer->name().empty())
    layer->set_name(detail::unique_name(detail::snake_case(layer->class_name()), [&](const std::string& name) {
      return std::any_of(layers_.begin(), layers_.end(), [&](const auto& l) { return l->name() == name; });
    }));
  for (const auto& l : layers_)
    check(l->name() != layer->name(), where(), ": a layer named '", escaped(layer->name()),
          "' already exists; layer names must be unique.");
  if (layers_.empty() && input_shape_.empty()) input_shape_ = layer->declared_input_shape();
  // Once the input width is known, each layer is built as it is added, as Keras does after an Input: summary(),
  // count_params() and set_weights() work before fit. The weights are the ones build() would draw.
  if (!input_shape_.empty()) {
    if (layers_.empty()) build_rng_.seed(seed());
    layer->build(layers_.empty() ? input_shape_ : output_shape(), build_rng_);
    layer->set_input_gradient_needed(!layers_.empty());
    for (Param* p : layer->weights()) weights_.push_back(p);
    built_ = true;
  }
  layers_.push_back(std::move(layer));
  return *this;
}

Sequential& Sequential::add(const Input& input) {
  check(layers_.empty(), where(), ": Input must be added before any layer.");
  check(input.call().layer == nullptr, where(), ": add() takes an Input, not the output of a layer call.");
  input_shape_ = input.shape();
  return *this;
}

void Model::build_chain(const Shape& input_shape) {
  check(!layers_.empty(), where(), ": cannot build a model with no layers.");
  check(!input_shape.empty() && input_shape.valid(), where(), ": expected an input shape of positive dimensions; ",
        "received ", input_shape, ".");
  check(!built_ || input_shape == input_shape_, where(), ": already built for input shape ", input_shape_,
        "; received ", input_shape, ".");
  if (built_) return;
  build_rng_.seed(seed());
  Shape shape = input_shape;
  for (auto& layer : layers_) {
    layer->build(shape, build_rng_);
    shape = layer->compute_output_shape(shape);
  }
  layers_.front()->set_input_gradient_needed(false);
  finish_build(input_shape);
}

Shape Model::chain_output_shape() const {
  check(!input_shape_.empty(), where(), ": the output shape is unknown until the input shape is.");
  Shape shape = input_shape_;
  for (const auto& layer : layers_) shape = layer->compute_output_shape(shape);
  return shape;
}

const Matrix& Model::chain_forward(const Matrix& x, bool training) {
  outputs_.resize(layers_.size());  // allocates once
  const Matrix* h = &x;
  for (std::size_t i = 0; i < layers_.size(); ++i) outputs_[i] = h = &layers_[i]->forward(*h, training);
  return *h;
}

void Model::chain_backward(const Matrix& grad, bool from_logits) {
  const Matrix* g = from_logits ? &layers_.back()->backward_from_logits(grad) : &layers_.back()->backward(grad);
  for (std::size_t i = layers_.size() - 1; i-- > 0;) g = &layers_[i]->backward(*g);
}


}  // namespace descent::nn
