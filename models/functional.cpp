// The Functional API: a Model over a graph of layer calls (keras.Model(inputs, outputs)).
#include "model.hpp"

#include "detail/graph.hpp"

#include <descent/core/error.hpp>
#include <descent/core/random.hpp>
#include <descent/nn/layers/merging/merge.hpp>

namespace descent::nn {

Model::Model(const SymbolicTensor& input, const SymbolicTensor& output, ModelOptions options)
    : Model(std::vector<SymbolicTensor>{input}, std::vector<SymbolicTensor>{output}, std::move(options)) {}

Model::Model(const std::vector<SymbolicTensor>& inputs, const std::vector<SymbolicTensor>& outputs,
             ModelOptions options)
    : Model(std::move(options.name), options.seed ? *options.seed : next_random_seed()) {
  graph_ = std::make_unique<detail::Graph>(inputs, outputs, str(where()));
  layers_ = graph_->layers();
  Rng rng;
  rng.seed(seed());
  graph_->build(rng);
  finish_build(inputs.front().shape());
  graph_inputs_.resize(inputs.size());
  graph_grads_.resize(outputs.size());
}

namespace {

const std::vector<SymbolicTensor> kNone;

}  // namespace

const std::vector<SymbolicTensor>& Model::inputs() const { return graph_ ? graph_->inputs() : kNone; }
const std::vector<SymbolicTensor>& Model::outputs() const { return graph_ ? graph_->outputs() : kNone; }

std::string Model::class_name() const { return is_chain() ? "Sequential" : "Functional"; }

void Model::build(const Shape& input_shape) {
  if (is_chain()) return build_chain(input_shape);
  check(input_shape == input_shape_, where(), ": built for input shape ", input_shape_, " when made; received ",
        input_shape, ".");
}

Shape Model::output_shape() const {
  if (is_chain()) return chain_output_shape();
  check(graph_->outputs().size() == 1, where(), ": has ", graph_->outputs().size(),
        " outputs; training and prediction with several outputs are not written yet.");
  return graph_->outputs().front().shape();
}

const Matrix& Model::forward(const Matrix& x, bool training) {
  if (is_chain()) return chain_forward(x, training);
  if (graph_inputs_.size() != 1)
    fail(str(where(), ": has ", graph_inputs_.size(), " inputs; training and prediction with several inputs are not ",
             "written yet."));
  graph_inputs_.front() = &x;
  const std::vector<const Matrix*>& out = graph_->forward(graph_inputs_, training);
  outputs_ = graph_->layer_outputs();
  return *out.front();
}

void Model::backward(const Matrix& grad, bool from_logits) {
  if (is_chain()) return chain_backward(grad, from_logits);
  graph_grads_.front() = &grad;
  graph_->backward(graph_grads_, from_logits);
}

const Layer& Model::output_layer() const {
  if (is_chain()) {
    check(!layers_.empty(), where(), ": the model has no layers.");
    return *layers_.back();
  }
  const auto& node = graph_->nodes()[graph_->producer(graph_->output_tensors().front())];
  return *node.runs;
}

bool Model::output_is_final() const { return graph_ == nullptr || graph_->first_output_is_final(); }

}  // namespace descent::nn
