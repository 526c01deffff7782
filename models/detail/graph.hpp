// Graph: the layer calls of a Functional model in running order, and the buffers its passes hand between them.
#pragma once

#include <descent/core/random.hpp>
#include <descent/core/tensor.hpp>
#include <descent/nn/layer.hpp>

#include <memory>
#include <utility>
#include <string>
#include <vector>

namespace descent::nn {
class Merge;
}

namespace descent::nn::detail {

/// The calls reachable from a model's outputs back to its inputs (Keras's map_graph). Tensors are numbered: the
/// inputs first, then each call's output.
class Graph {
 public:
  /// Follows `outputs` back to `inputs`, which must be nn::Input tensors; a call that needs another Input is an
  /// Error naming it ("graph disconnected"). `where` names the model in messages.
  Graph(const std::vector<SymbolicTensor>& inputs, const std::vector<SymbolicTensor>& outputs,
        const std::string& where);

  /// The distinct layers, in Keras's order for model.layers (by depth from the inputs, then by first use).
  const std::vector<std::shared_ptr<Layer>>& layers() const { return layers_; }
  const std::vector<SymbolicTensor>& inputs() const { return inputs_; }
  const std::vector<SymbolicTensor>& outputs() const { return outputs_; }
  /// The inputs' names: as given, or Keras's "input_layer", "input_layer_1", ...
  const std::vector<std::string>& input_names() const { return input_names_; }
  /// Whether the first output is used only as an output: then its layer's final activation may fuse with the loss.
  bool first_output_is_final() const { return first_output_is_final_; }

  /// Builds every layer for its inputs' shapes, drawing weights from `rng` in model.layers order; a shared layer's
  /// later calls get twins of it whose weights are copied from it (and whose gradients are added to it).
  void build(Rng& rng);

  /// Runs every call on the given input batches; returns the output batches (buffers the layers own).
  const std::vector<const Matrix*>& forward(const std::vector<const Matrix*>& inputs, bool training);
  /// Back-propagates dL/d(output k) = grads[k] of the last forward; with `from_logits`, grads[0] is dL/d(logits) of
  /// the first output's layer. Sets every weight's gradient, summed over the calls of shared layers.
  void backward(const std::vector<const Matrix*>& grads, bool from_logits);

  /// The output of each layer of layers() in the last forward (of its last call), for NaN reports.
  const std::vector<const Matrix*>& layer_outputs() const { return layer_outputs_; }

  /// One call. Public for the summary and the config writer, which list every call.
  struct Node {
    Layer* owner = nullptr;         // the called layer
    std::size_t layer_index = 0;    // its place in layers()
    std::size_t call_index = 0;     // which call of it (Keras's node index)
    std::unique_ptr<Layer> twin;    // for a later call of a shared layer: the layer that runs it
    Layer* runs = nullptr;          // owner or twin
    Merge* merge = nullptr;         // runs as a Merge, for a call on a list
    std::vector<std::size_t> args;  // tensor numbers of the call's inputs
    std::size_t result = 0;         // tensor number of its output
    const descent::detail::LayerCall* call = nullptr;
    std::size_t weights = 0;        // a twin's weights in shared_: [first_shared, first_shared + weights)
    std::size_t first_shared = 0;
  };
  /// The calls in running order.
  const std::vector<Node>& nodes() const { return nodes_; }
  /// For tensor t: the node that made it, or nodes().size() for an input.
  std::size_t producer(std::size_t tensor) const { return producer_[tensor]; }
  /// The shape of tensor t.
  const Shape& shape(std::size_t tensor) const { return shapes_[tensor]; }
  /// Tensor numbers of the outputs.
  const std::vector<std::size_t>& output_tensors() const { return output_tensors_; }

 private:
  void add_gradient(std::size_t tensor, const Matrix& grad);

  std::vector<SymbolicTensor> inputs_, outputs_;
  std::vector<std::shared_ptr<Layer>> layers_;
  std::vector<Node> nodes_;
  std::vector<std::size_t> producer_;
  std::vector<Shape> shapes_;
  std::vector<std::size_t> output_tensors_;
  std::vector<std::string> input_names_;
  bool first_output_is_final_ = true;
  std::vector<std::pair<Param*, Param*>> shared_;  // (a shared layer's weight, its twin's), for every twin
  std::string where_;

  // Buffers reused from batch to batch.
  std::vector<const Matrix*> values_;  // per tensor, in the last forward
  std::vector<const Matrix*> results_;
  std::vector<const Matrix*> grads_;  // per tensor, dL/d(tensor) in backward
  std::vector<Matrix> sums_;          // per tensor: where the gradients of a tensor used twice add up
  std::vector<const Matrix*> args_;
  std::vector<const Matrix*> layer_outputs_;
};

}  // namespace descent::nn::detail
