// SymbolicTensor: what calling a layer on keras.Input gives (Keras's KerasTensor): a shape and the call that made
// it, from which nn::Model(inputs, outputs) reads the graph of layer calls.
#pragma once

#include <descent/core/shape.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace descent::nn {
class Layer;
class SymbolicTensor;
}  // namespace descent::nn

namespace descent::detail {

/// One call of a layer on symbolic tensors (Keras's Node), or an Input when `layer` is null.
struct LayerCall {
  std::shared_ptr<nn::Layer> layer;        // the called layer, shared by every call of it; null for an Input
  std::vector<nn::SymbolicTensor> inputs;  // the call's arguments, in order
  bool takes_list = false;             // called with a list (a merge layer), even of one tensor
  Shape shape;                         // the output sample shape
  std::string input_name;              // an Input's name ("" for "input_layer", "input_layer_1", ... by the model)
  std::uint64_t serial = 0;            // calls numbered as made: a layer's calls in order are Keras's node indices
};

/// The next call's serial number.
std::uint64_t next_call_serial();

}  // namespace descent::detail

namespace descent::nn {

/// A placeholder for a batch of samples of shape(), as Keras's KerasTensor: layers called on it return new ones, and
/// nn::Model(inputs, outputs) follows the calls back from the outputs to the inputs. Copies refer to the same tensor.
class SymbolicTensor {
 public:
  /// Keras's shape without the batch axis.
  const Shape& shape() const { return call_->shape; }
  /// The call that made it.
  const descent::detail::LayerCall& call() const { return *call_; }
  /// Whether two handles are the same tensor.
  friend bool operator==(const SymbolicTensor& a, const SymbolicTensor& b) { return a.call_ == b.call_; }

 protected:
  explicit SymbolicTensor(std::shared_ptr<const descent::detail::LayerCall> call) : call_(std::move(call)) {}
  friend class Layer;

 private:
  std::shared_ptr<const descent::detail::LayerCall> call_;
};

struct InputOptions {
  /// The input's name: the key of its array in fit({"name": x}) and in configs. Unset: Keras's "input_layer",
  /// "input_layer_1", ..., given by the model.
  std::string name;
};

/// keras.Input: a model input of samples of `shape` — Input(30) for 30 features, Input({28, 28, 1}) for 28 x 28
/// images of one channel. Layers called on it build a graph (nn::Model); Sequential::add(Input) declares the
/// Sequential's input shape. Not a layer of its own.
class Input : public SymbolicTensor {
 public:
  Input(Shape shape, InputOptions options = {});
  const std::string& name() const { return call().input_name; }
};

}  // namespace descent::nn
