// The Functional API: a Model over a graph of layer calls (keras.Model(inputs, outputs)).
#include "model.hpp"

#include "detail/graph.hpp"

#include <descent/core/error.hpp>
#include <descent/core/random.hpp>
#include <descent/core/text.hpp>
#include <descent/nn/layers/merging/merge.hpp>

#include <algorithm>

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
  // Several inputs arrive packed side by side in one x (pack_inputs): the model's input is that row.
  Index columns = 0;
  for (const SymbolicTensor& in : inputs) columns += in.shape().size();
  finish_build(inputs.size() == 1 ? inputs.front().shape() : Shape(columns));
  graph_inputs_.resize(inputs.size());
  input_columns_.resize(inputs.size() > 1 ? inputs.size() : 0);
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
  if (graph_inputs_.size() == 1) {
    graph_inputs_.front() = &x;
  } else {
    check_input_width(x);
    for (Index k = 0, first = 0; k < static_cast<Index>(input_columns_.size()); ++k) {
      Matrix& columns = input_columns_[static_cast<std::size_t>(k)];
      const Index width = graph_->inputs()[static_cast<std::size_t>(k)].shape().size();
      columns = x.middleCols(first, width);  // same size batch after batch: no allocation
      graph_inputs_[static_cast<std::size_t>(k)] = &columns;
      first += width;
    }
  }
  const std::vector<const Matrix*>& out = graph_->forward(graph_inputs_, training);
  outputs_ = graph_->layer_outputs();
  return *out.front();
}

void Model::check_input_width(const Matrix& x) const {
  if (x.cols() == input_dim()) return;
  fail(str(where(), ": expected x with ", input_dim(), " columns (its inputs' side by side); received ", x.cols(),
           "."));
}

Matrix Model::pack_inputs(const Arrays& x) const {
  check(graph_ != nullptr, where(), ": a Sequential takes one x; Arrays are for Functional models.");
  const std::vector<SymbolicTensor>& ins = inputs();
  std::vector<const Matrix*> arrays = x.list;
  if (!x.named.empty()) {  // by name: in the inputs' order, every one given once
    arrays.assign(ins.size(), nullptr);
    for (const auto& [name, m] : x.named) {
      const auto& names = graph_->input_names();
      const auto at = std::find(names.begin(), names.end(), name);
      std::string known;
      for (const std::string& n : names) known += (known.empty() ? "" : ", ") + descent::quoted(n);
      check(at != names.end(), where(), ": no input named ", descent::quoted(name), "; inputs: ", known, ".");
      const auto k = static_cast<std::size_t>(at - names.begin());
      check(arrays[k] == nullptr, where(), ": input ", descent::quoted(name), " is given twice.");
      arrays[k] = m;
    }
    for (std::size_t k = 0; k < ins.size(); ++k)
      check(arrays[k] != nullptr, where(), ": no array for input ", descent::quoted(graph_->input_names()[k]), ".");
  }
  check(arrays.size() == ins.size(), where(), ": expected ", ins.size(), " arrays, one per input; ",
        "received ", arrays.size(), ".");
  Index columns = 0;
  for (std::size_t k = 0; k < arrays.size(); ++k) {
    const std::string& input_name = graph_->input_names()[k];
    check(arrays[k]->cols() == ins[k].shape().size(), where(), ": input ", descent::quoted(input_name),
          " (samples of shape ", ins[k].shape(), ") expects ", ins[k].shape().size(), " columns; received ",
          arrays[k]->cols(), ".");
    check(arrays[k]->rows() == arrays.front()->rows(), where(), ": every input needs the same number of rows; ",
          descent::quoted(graph_->input_names().front()), " has ", arrays.front()->rows(), " and ",
          descent::quoted(input_name), " ", arrays[k]->rows(), ".");
    columns += arrays[k]->cols();
  }
  Matrix packed(arrays.front()->rows(), columns);
  for (std::size_t k = 0, first = 0; k < arrays.size(); first += static_cast<std::size_t>(arrays[k]->cols()), ++k)
    packed.middleCols(static_cast<Index>(first), arrays[k]->cols()) = *arrays[k];
  return packed;
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
