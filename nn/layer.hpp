// Layer: the interface every layer implements (Keras's build / call / get_config split, with a cached backward).
#pragma once

#include <descent/core/serializable.hpp>
#include <descent/core/shape.hpp>
#include <descent/core/tensor.hpp>
#include <descent/nn/symbolic_tensor.hpp>

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace descent::nn {

/// A layer maps a batch x (rows = samples) to y, and back-propagates dL/dy to dL/dx and its parameters' gradients.
///
/// Call order: build(input_shape) once, then any number of forward(x) each optionally followed by backward(dy).
/// forward() and backward() return references to buffers the layer owns and reuses from batch to batch; they stay
/// valid until the next call. backward() applies the chain rule only: the batch mean belongs to the loss.
class Layer : public Serializable {
 public:
  /// Unique within a model; Sequential names unnamed layers "dense", "dense_1", ...
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  /// "<Class> '<name>'" for messages, the name escaped (it may come from a file).
  std::string where() const;

  /// Creates the weights for samples of `input_shape` (Keras's shape without the batch axis), drawing random
  /// values from `rng`; checks the shape first. A batch then arrives as a matrix of input_shape.size() columns.
  void build(const Shape& input_shape, Rng& rng);
  /// The sample shape the layer was built for (empty before build).
  const Shape& input_shape() const { return input_shape_; }
  /// Values per input sample: input_shape().size(), or 0 before build.
  Index input_dim() const { return input_shape_.empty() ? 0 : input_shape_.size(); }
  /// The input shape the layer was declared with (Dense's input_dim), or an empty shape.
  virtual Shape declared_input_shape() const { return {}; }
  /// The output sample shape for `input_shape` (Keras's compute_output_shape); shape-preserving by default.
  virtual Shape compute_output_shape(const Shape& input_shape) const { return input_shape; }

  /// y = layer(x); `training` switches layers such as Dropout.
  virtual const Matrix& forward(const Matrix& x, bool training) = 0;
  /// Given dy = dL/dy for the last forward(), sets every Param::grad and returns dL/dx
  /// (an empty matrix when set_input_gradient_needed(false)).
  virtual const Matrix& backward(const Matrix& dy) = 0;

  /// The weights gradient descent updates, in Keras's weight order (kernel, bias). A frozen layer
  /// (set_trainable(false)) still lists them here; the model leaves them alone.
  virtual std::vector<Param*> params() { return {}; }
  /// Weights no optimizer ever updates (BatchNormalization's moving statistics), in Keras's order.
  virtual std::vector<Param*> non_trainable_params() { return {}; }
  /// Every weight in Keras's order, as get_weights and saving see them: params() then non_trainable_params().
  std::vector<Param*> weights();

  /// Keras `trainable`: a frozen layer's weights are not updated and count as non-trainable in the summary.
  /// Layers with a training mode (BatchNormalization) run in inference mode when frozen, as in Keras 3.
  bool trainable() const { return trainable_; }
  void set_trainable(bool trainable) { trainable_ = trainable; }

  /// The regularization penalty for the last forward(): kernel and bias regularizers on the current weights plus
  /// the activity regularizer on the output. The model adds it to the batch loss, as Keras adds layer losses.
  /// backward() adds the penalty's gradient to each Param::grad (and to dL/dx for the activity term).
  virtual double regularization_loss() const { return 0.0; }
  /// Projects the weights back onto their constraints (MaxNorm, NonNeg, ...); the model calls it after each
  /// optimizer step, as Keras's optimizer applies variable constraints.
  virtual void apply_constraints() {}
  /// The state of the layer's own random generator as text (Dropout's and GaussianNoise's), or "" for a layer
  /// without one. Saved with the model, so that training resumed from the file draws the noise it would have drawn.
  virtual std::string generator_state() const { return {}; }
  /// Restores generator_state(); text that is not such a state is an Error.
  virtual void set_generator_state(const std::string& state);
  /// A new, unbuilt layer of the same class and config (name and trainable included), made through the registry
  /// as Keras's clone_model makes it from get_config: it builds its own weights. The class must be registered.
  std::unique_ptr<Layer> clone() const;

  /// The activation this layer applies last ("sigmoid", "softmax", ...), or "" if none. A model whose last layer
  /// ends in sigmoid (softmax) and whose loss is binary (categorical) cross-entropy computes the loss from the
  /// logits instead, as Keras does: no clipping, no log(0).
  virtual std::string final_activation() const { return ""; }
  /// The values fed to the final activation in the last forward(), for layers ending in sigmoid or softmax (others
  /// may have overwritten them).
  virtual const Matrix& logits() const;
  /// backward() starting from dL/d(logits), skipping the final activation's derivative.
  virtual const Matrix& backward_from_logits(const Matrix& dlogits);

  // ---- the Functional API ----

  /// Keras's layer(x): calls the layer on a symbolic tensor (an nn::Input or another call's output) and returns its
  /// output's, the shape computed now, so a shape mistake is an Error at this line. The first call moves the layer
  /// out of this object into the graph (through the registry, so its class must be registered); this object then
  /// stands for it, and calling it again shares the same layer and weights, as calling a Keras layer twice does.
  SymbolicTensor operator()(const SymbolicTensor& x);
  /// The call of a layer that takes a list of tensors (the merge layers: Add, Concatenate, ...).
  SymbolicTensor operator()(const std::vector<SymbolicTensor>& xs);
  /// Whether the layer takes a list of inputs (the merge layers); the others take one.
  virtual bool takes_list() const { return false; }
  /// Whether this object was called on a symbolic tensor and now stands for the layer it moved into the graph.
  bool moved_into_graph() const { return called_ != nullptr; }

  /// The first layer of a model skips computing dL/dx, which nothing uses.
  void set_input_gradient_needed(bool needed) { input_gradient_needed_ = needed; }

  /// Whether layer_to_json writes "trainable": true but for the layers whose Keras 3 constructor takes no such
  /// argument (SpatialDropout1D and 2D), which Keras 3 then could not load.
  virtual bool config_has_trainable() const { return true; }

  /// Config entries read from JSON that Descent keeps without applying yet (e.g. a regularizer before regularizers
  /// exist): key -> JSON text. layer_to_json writes them back, so a config survives a round trip.
  const std::map<std::string, std::string>& kept_config() const { return kept_config_; }
  void keep_config(const std::string& key, std::string json_text) { kept_config_[key] = std::move(json_text); }

 protected:
  /// build's work once the shape is checked and recorded: layers with weights create them here.
  virtual void build_weights(const Shape& /*input_shape*/, Rng& /*rng*/) {}
  /// Throws unless x has a row per sample of the built input shape ("<Class> '<name>': expected input with n
  /// columns; ...").
  void check_input(const Matrix& x) const;

  std::string name_;
  Shape input_shape_;
  bool trainable_ = true;
  bool input_gradient_needed_ = true;
  std::map<std::string, std::string> kept_config_;

 private:
  SymbolicTensor call(std::vector<SymbolicTensor> inputs, bool list);
  std::shared_ptr<Layer> called_;  // in the object a first call moved from: the layer in the graph
  std::weak_ptr<Layer> self_;      // in the layer in the graph: itself
};

}  // namespace descent::nn
