// Graph: Keras's map_graph (the calls from outputs back to inputs, ordered by depth), and running the calls.
#include "graph.hpp"

#include "naming.hpp"

#include <descent/core/error.hpp>
#include <descent/core/text.hpp>
#include <descent/nn/layers/merging/merge.hpp>
#include <descent/nn/registry.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace descent::nn::detail {

using descent::detail::LayerCall;

namespace {

std::string input_text(const LayerCall& input) {
  return input.input_name.empty() ? str("an unnamed Input of shape ", input.shape.batch_str())
                                  : str("Input ", descent::quoted(input.input_name));
}

// A copy of `layer` for a later call of it, built separately: its weights are the layer's, copied in before each
// call. Weight regularizers are left out, since the layer's own call counts them once, as Keras counts a weight's
// penalty once however often the layer is called.
std::unique_ptr<Layer> twin_of(const Layer& layer) {
  nlohmann::json object = layer_to_json(layer);
  for (auto& [key, value] : object["config"].items())
    if (key.ends_with("_regularizer") && key != "activity_regularizer") value = nullptr;
  return layer_from_json(object, str(layer.where(), " (shared)"));
}

}  // namespace

Graph::Graph(const std::vector<SymbolicTensor>& inputs, const std::vector<SymbolicTensor>& outputs,
             const std::string& where)
    : inputs_(inputs), outputs_(outputs), where_(where) {
  check(!inputs.empty(), where, ": expects at least one input.");
  check(!outputs.empty(), where, ": expects at least one output.");
  std::map<const LayerCall*, std::size_t> number;  // tensor numbers
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const LayerCall& c = inputs[k].call();
    check(c.layer == nullptr, where, ": input ", k, " is the output of ", c.layer ? c.layer->where() : "",
          "; a model's inputs are nn::Input tensors.");
    check(number.emplace(&c, k).second, where, ": input ", k, " is given twice.");
    shapes_.push_back(c.shape);
    producer_.push_back(0);  // set once the nodes are counted
  }

  // Depth-first from the outputs: calls in post-order (each after its inputs) and layers in order of first visit.
  std::vector<const LayerCall*> post_order;
  std::map<const Layer*, std::size_t> first_visit;
  std::set<const LayerCall*> done;
  const LayerCall* missing = nullptr;  // an Input the graph needs but was not given, and who needs it
  const LayerCall* needs_missing = nullptr;
  std::function<void(const LayerCall&, const LayerCall*)> visit = [&](const LayerCall& c, const LayerCall* consumer) {
    if (number.contains(&c) || done.contains(&c)) return;
    if (c.layer == nullptr) {
      if (missing == nullptr) missing = &c, needs_missing = consumer;
      return;
    }
    first_visit.emplace(c.layer.get(), first_visit.size());
    for (const SymbolicTensor& in : c.inputs) visit(in.call(), &c);
    done.insert(&c);
    post_order.push_back(&c);
  };
  for (const SymbolicTensor& out : outputs) visit(out.call(), nullptr);

  // Keras's depths: an output's call is at depth 0, a call feeding one at depth d is at least at d + 1, and all the
  // calls of a shared layer share its greatest depth.
  std::map<const LayerCall*, int> call_depth;
  std::map<const Layer*, int> layer_depth;
  for (auto it = post_order.rbegin(); it != post_order.rend(); ++it) {
    const LayerCall& c = **it;
    const int depth = std::max(call_depth[&c], layer_depth[c.layer.get()]);
    layer_depth[c.layer.get()] = call_depth[&c] = depth;
    for (const SymbolicTensor& in : c.inputs) {
      int& d = call_depth[&in.call()];
      d = std::max(d, depth + 1);
    }
  }
  for (const auto& visited : first_visit) {
    const Layer* layer = visited.first;  // not a structured binding: clang 14 cannot capture one in a lambda
    const LayerCall* owner_call = *std::find_if(post_order.begin(), post_order.end(),
                                                [&](const LayerCall* c) { return c->layer.get() == layer; });
    layers_.push_back(owner_call->layer);
  }
  std::stable_sort(layers_.begin(), layers_.end(), [&](const auto& a, const auto& b) {
    const int da = layer_depth[a.get()], db = layer_depth[b.get()];
    return da != db ? da > db : first_visit[a.get()] < first_visit[b.get()];
  });

  // Keras's default names for unnamed layers and inputs, unique in the model; then names must be unique.
  std::set<std::string> names;
  for (const auto& layer : layers_) names.insert(layer->name());
  for (const SymbolicTensor& in : inputs) names.insert(in.call().input_name);
  auto taken = [&](const std::string& name) { return names.contains(name); };
  for (const SymbolicTensor& in : inputs) {
    std::string name = in.call().input_name;
    if (name.empty()) names.insert(name = unique_name("input_layer", taken));
    input_names_.push_back(name);
  }
  for (const auto& layer : layers_)
    if (layer->name().empty()) {
      layer->set_name(unique_name(snake_case(layer->class_name()), taken));
      names.insert(layer->name());
    }
  std::map<std::string, std::string> owners;  // name -> what has it
  for (std::size_t k = 0; k < inputs.size(); ++k)
    check(owners.emplace(input_names_[k], "an input").second, where, ": two inputs are named ",
          descent::quoted(input_names_[k]), "; names must be unique in a model.");
  for (const auto& layer : layers_) {
    const auto [at, fresh] = owners.emplace(layer->name(), layer->where());
    check(fresh, where, ": ", layer->where(), " has the name of ", at->second, "; names must be unique in a model.");
  }

  if (missing != nullptr) {
    std::string given;
    for (const std::string& name : input_names_) given += (given.empty() ? "" : ", ") + descent::quoted(name);
    fail(str(where, ": graph disconnected: ", needs_missing ? needs_missing->layer->where() : std::string("an output"),
             " needs ", input_text(*missing), ", which is not among the model's inputs (", given, ")."));
  }

  // The calls in running order: by decreasing depth (a call's inputs are deeper), then as visited.
  std::vector<const LayerCall*> order = post_order;
  std::stable_sort(order.begin(), order.end(),
                   [&](const LayerCall* a, const LayerCall* b) { return call_depth[a] > call_depth[b]; });
  std::map<const Layer*, std::vector<std::uint64_t>> serials;  // each layer's calls in this model, in call order
  for (const LayerCall* c : order) serials[c->layer.get()].push_back(c->serial);
  for (auto& [layer, list] : serials) std::sort(list.begin(), list.end());
  for (const LayerCall* c : order) {
    Node node;
    node.call = c;
    node.owner = c->layer.get();
    node.layer_index = static_cast<std::size_t>(
        std::find_if(layers_.begin(), layers_.end(), [&](const auto& l) { return l.get() == node.owner; }) -
        layers_.begin());
    const auto& list = serials[node.owner];
    node.call_index = static_cast<std::size_t>(std::find(list.begin(), list.end(), c->serial) - list.begin());
    for (const SymbolicTensor& in : c->inputs) node.args.push_back(number.at(&in.call()));
    node.result = shapes_.size();
    number.emplace(c, node.result);
    shapes_.push_back(c->shape);
    producer_.push_back(nodes_.size());
    nodes_.push_back(std::move(node));
  }
  for (std::size_t k = 0; k < inputs.size(); ++k) producer_[k] = nodes_.size();
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    output_tensors_.push_back(number.at(&outputs[k].call()));
    check(output_tensors_.back() >= inputs.size(), where, ": output ", k, " is input ", output_tensors_.back(),
          " itself; a model's outputs come from layers.");
  }
  for (const Node& node : nodes_)
    for (std::size_t arg : node.args) first_output_is_final_ &= arg != output_tensors_.front();
  first_output_is_final_ &= std::count(output_tensors_.begin(), output_tensors_.end(), output_tensors_.front()) == 1;
}

void Graph::build(Rng& rng) {
  std::vector<Shape> shapes;
  auto build_one = [&](Layer& layer, const Node& node, Rng& from) {
    shapes.clear();
    for (std::size_t arg : node.args) shapes.push_back(shapes_[arg]);
    if (!layer.input_shape().empty()) {  // built already, in another model: its weights stay
      const bool same = node.call->takes_list ? dynamic_cast<Merge&>(layer).input_shapes() == shapes
                                              : layer.input_shape() == shapes.front();
      check(same, where_, ": ", layer.where(), " was built for input shape ", layer.input_shape(),
            " and is called on ", shapes.front(), ".");
    } else if (node.call->takes_list) {
      dynamic_cast<Merge&>(layer).build(shapes);
    } else {
      layer.build(shapes.front(), from);
    }
  };
  for (std::size_t l = 0; l < layers_.size(); ++l)  // weights drawn in model.layers order
    for (Node& node : nodes_)
      if (node.layer_index == l && node.call_index == 0) build_one(*node.owner, node, rng);
  Rng scratch;  // twins' own weights are overwritten by the shared ones
  for (Node& node : nodes_) {
    node.runs = node.owner;
    if (node.call_index > 0) {
      node.twin = twin_of(*node.owner);
      build_one(*node.twin, node, scratch);
      const std::vector<Param*> mine = node.owner->weights(), its = node.twin->weights();
      bool same = mine.size() == its.size();
      for (std::size_t i = 0; same && i < mine.size(); ++i)
        same = mine[i]->value.rows() == its[i]->value.rows() && mine[i]->value.cols() == its[i]->value.cols();
      check(same, where_, ": ", node.owner->where(), " is called on inputs of shapes that need weights of other ",
            "shapes (its first call's input ", node.owner->input_shape(), ", call ", node.call_index, "'s ",
            node.twin->input_shape(), ").");
      node.first_shared = shared_.size();
      node.weights = mine.size();
      for (std::size_t i = 0; i < mine.size(); ++i) shared_.emplace_back(mine[i], its[i]);
      node.runs = node.twin.get();
    }
    node.merge = node.call->takes_list ? dynamic_cast<Merge*>(node.runs) : nullptr;
    // Nothing uses dL/d(model input): a call on inputs alone skips it.
    node.runs->set_input_gradient_needed(
        std::any_of(node.args.begin(), node.args.end(), [&](std::size_t a) { return a >= inputs_.size(); }));
  }
  values_.assign(shapes_.size(), nullptr);
  grads_.assign(shapes_.size(), nullptr);
  sums_.resize(shapes_.size());
  results_.assign(output_tensors_.size(), nullptr);
  layer_outputs_.assign(layers_.size(), nullptr);
  args_.reserve(std::max_element(nodes_.begin(), nodes_.end(), [](const Node& a, const Node& b) {
                  return a.args.size() < b.args.size();
                })->args.size());
}

const std::vector<const Matrix*>& Graph::forward(const std::vector<const Matrix*>& inputs, bool training) {
  for (std::size_t k = 0; k < inputs.size(); ++k) values_[k] = inputs[k];
  for (Node& node : nodes_) {
    if (node.twin) {  // a later call of a shared layer: the layer's current weights, then its call
      node.twin->set_trainable(node.owner->trainable());
      for (std::size_t i = node.first_shared; i < node.first_shared + node.weights; ++i)
        shared_[i].second->value = shared_[i].first->value;
    }
    const Matrix* out;
    if (node.merge != nullptr) {
      args_.clear();
      for (std::size_t arg : node.args) args_.push_back(values_[arg]);
      out = &node.merge->forward(args_, training);
    } else {
      out = &node.runs->forward(*values_[node.args.front()], training);
    }
    if (node.twin && training)  // moving statistics the call updated are the layer's
      for (std::size_t i = node.first_shared; i < node.first_shared + node.weights; ++i)
        shared_[i].first->value = shared_[i].second->value;
    values_[node.result] = out;
    layer_outputs_[node.layer_index] = out;
  }
  for (std::size_t k = 0; k < results_.size(); ++k) results_[k] = values_[output_tensors_[k]];
  return results_;
}

void Graph::add_gradient(std::size_t tensor, const Matrix& grad) {
  const Matrix*& sum = grads_[tensor];
  if (sum == nullptr) {
    sum = &grad;
    return;
  }
  // A tensor used more than once: its gradient is the sum of its users' (copied first, then added in place).
  Matrix& own = sums_[tensor];
  if (sum != &own) {
    own = *sum;
    sum = &own;
  }
  own += grad;
}

void Graph::backward(const std::vector<const Matrix*>& grads, bool from_logits) {
  std::fill(grads_.begin(), grads_.end(), nullptr);
  for (std::size_t k = 0; k < grads.size(); ++k) add_gradient(output_tensors_[k], *grads[k]);
  const std::size_t fused = from_logits ? producer_[output_tensors_.front()] : nodes_.size();
  for (std::size_t i = nodes_.size(); i-- > 0;) {
    Node& node = nodes_[i];
    const Matrix* dy = grads_[node.result];
    if (dy == nullptr) fail(str(where_, ": no gradient reached ", node.owner->where(), "'s output."));
    if (node.merge != nullptr) {
      const std::vector<const Matrix*>& dxs = node.merge->backward_list(*dy);
      for (std::size_t j = 0; j < node.args.size(); ++j)
        if (node.args[j] >= inputs_.size()) add_gradient(node.args[j], *dxs[j]);
    } else {
      const Matrix& dx = i == fused ? node.runs->backward_from_logits(*dy) : node.runs->backward(*dy);
      if (node.args.front() >= inputs_.size()) add_gradient(node.args.front(), dx);
    }
  }
  for (auto& [mine, its] : shared_) mine->grad += its->grad;  // a shared weight's gradient sums over its calls
}

}  // namespace descent::nn::detail
