// Functional configs in and out: layers created from their entries, then called node by node as the entries'
// inbound_nodes say (Keras's functional_from_config), and the same lists written back from the graph.
#include "detail/config_reading.hpp"
#include "detail/functional_config.hpp"

#include <descent/core/error.hpp>
#include <descent/core/text.hpp>
#include <descent/models/detail/graph.hpp>
#include <descent/nn/registry.hpp>

#include <map>
#include <memory>

namespace descent::nn::detail {

namespace {

// One reference to a tensor: the layer that made it, which of its calls, which of the call's outputs.
struct TensorRef {
  std::string layer;
  std::size_t node = 0;
  std::size_t index = 0;
  std::string where;
};

std::size_t read_count(const json& value, const std::string& where) {
  check(value.is_number_unsigned() || (value.is_number_integer() && value.get<long long>() >= 0), where,
        ": expected a non-negative integer; received ", describe(value), ".");
  return value.get<std::size_t>();
}

// [name, node, tensor] or [name, node, tensor, kwargs] (Keras 2, TF.js, input_layers and output_layers).
TensorRef read_triple(const json& value, const std::string& where) {
  check(value.is_array() && (value.size() == 3 || value.size() == 4) && value[0].is_string(), where,
        ": expected [layer name, node index, tensor index]; received ", describe(value), ".");
  if (value.size() == 4)
    check(value[3].is_null() || (value[3].is_object() && value[3].empty()), where,
          "[3]: call arguments are not supported; expected {}; received ", value[3].dump(), ".");
  return {value[0].get<std::string>(), read_count(value[1], where + "[1]"), read_count(value[2], where + "[2]"),
          where};
}

// Keras 3's {"class_name": "__keras_tensor__", "config": {"shape", "dtype", "keras_history": [name, node, tensor]}}.
TensorRef read_keras_tensor(const json& value, const std::string& where) {
  check(value.is_object() && value.contains("class_name") && value["class_name"] == "__keras_tensor__" &&
            value.contains("config") && value["config"].is_object() && value["config"].contains("keras_history"),
        where, ": expected a __keras_tensor__ object with a keras_history; received ", describe(value), ".");
  return read_triple(value["config"]["keras_history"], where + ".config.keras_history");
}

// One inbound node: its tensors, and whether the call took a list.
struct Call {
  std::vector<TensorRef> args;
  bool list = false;
};

Call read_node(const json& node, const std::string& where) {
  Call call;
  if (node.is_object()) {  // Keras 3: {"args": [tensor or [tensors]], "kwargs": {}}
    ConfigReader r(node, where);
    const json* args = r.find("args");
    check(args != nullptr && args->is_array() && args->size() == 1, r.path("args"),
          ": expected one argument (a tensor or a list of tensors); received ",
          args ? describe(*args) : std::string("nothing"), ".");
    if (const json* kwargs = r.find("kwargs")) {
      check(kwargs->is_object(), r.path("kwargs"), ": expected an object; received ", describe(*kwargs), ".");
      for (const auto& [key, value] : kwargs->items())
        check(key == "training" || (key == "mask" && value.is_null()), r.path("kwargs"), ".", key,
              ": call arguments are not supported.");
    }
    r.finish();
    const json& arg = (*args)[0];
    const std::string arg_where = r.path("args") + "[0]";
    call.list = arg.is_array();
    if (call.list)
      for (std::size_t i = 0; i < arg.size(); ++i)
        call.args.push_back(read_keras_tensor(arg[i], arg_where + "[" + std::to_string(i) + "]"));
    else
      call.args.push_back(read_keras_tensor(arg, arg_where));
    return call;
  }
  // Keras 2 and TF.js: [[name, node, tensor, kwargs], ...]; more than one tensor is a list call.
  check(node.is_array() && !node.empty(), where, ": expected a list of inbound tensors; received ", describe(node),
        ".");
  for (std::size_t i = 0; i < node.size(); ++i)
    call.args.push_back(read_triple(node[i], where + "[" + std::to_string(i) + "]"));
  call.list = call.args.size() > 1;
  return call;
}

// input_layers / output_layers: a list of triples, or Keras 3's single triple for a model of one.
std::vector<TensorRef> read_endpoints(const json& value, const std::string& where) {
  std::vector<TensorRef> refs;
  if (value.is_array() && !value.empty() && value[0].is_string()) {
    refs.push_back(read_triple(value, where));
    return refs;
  }
  check(value.is_array() && !value.empty(), where, ": expected a list of [layer name, node index, tensor index]; ",
        "received ", describe(value), ".");
  for (std::size_t i = 0; i < value.size(); ++i)
    refs.push_back(read_triple(value[i], where + "[" + std::to_string(i) + "]"));
  return refs;
}

}  // namespace

Model read_functional(const json& object, const std::string& source, const std::string& path) {
  const std::string where = at(source, path);
  auto [class_name, config] = split_class_and_config(object, where);
  const std::string config_path = at(source, join(path, "config"));
  check(config.is_object(), config_path, ": expected an object; received ", describe(config), ".");
  ConfigReader r(config, config_path);
  std::string name = "functional";
  r.read("name", name);
  bool model_trainable = true;
  r.read("trainable", model_trainable);
  const json* layers = r.find("layers");
  check(layers != nullptr && layers->is_array() && !layers->empty(), r.path("layers"),
        ": expected a non-empty list of layers; received ", layers ? describe(*layers) : std::string("nothing"), ".");
  const json* input_layers = r.find("input_layers");
  const json* output_layers = r.find("output_layers");
  check(input_layers != nullptr, r.path("input_layers"), ": missing. Expected the model's inputs.");
  check(output_layers != nullptr, r.path("output_layers"), ": missing. Expected the model's outputs.");
  const std::string layers_path = r.path("layers");
  const auto inputs_ref = read_endpoints(*input_layers, r.path("input_layers"));
  const auto outputs_ref = read_endpoints(*output_layers, r.path("output_layers"));
  r.ignore({"dtype"});
  r.finish();

  // Every entry: an Input, or a layer with its calls still to make.
  struct Entry {
    std::unique_ptr<Layer> layer;  // after its first call, the handle of the layer in the graph
    std::vector<Call> calls;
    std::vector<std::string> call_where;
    std::size_t made = 0;  // calls made so far
    std::string where;
  };
  std::map<std::string, std::vector<SymbolicTensor>> outputs;  // layer or input name -> output of each call made
  std::map<std::string, Entry> entries;
  std::vector<std::string> order;
  for (std::size_t i = 0; i < layers->size(); ++i) {
    const std::string entry_where = layers_path + "[" + std::to_string(i) + "]";
    json entry = (*layers)[i];
    check(entry.is_object(), entry_where, ": expected a layer object; received ", describe(entry), ".");
    json nodes = json::array();
    if (auto n = entry.find("inbound_nodes"); n != entry.end()) {
      check(n->is_array(), entry_where, ".inbound_nodes: expected a list; received ", describe(*n), ".");
      nodes = *n;
      entry.erase("inbound_nodes");
    }
    if (entry.contains("class_name") && entry["class_name"] == "InputLayer") {
      const Shape shape = read_input_layer(entry, entry_where);
      // Its name: the config's (Keras 3, TF.js), else the entry's (Keras 2 writes both).
      const json* named = entry.contains("name") ? &entry["name"] : nullptr;
      if (auto c = entry.find("config"); c != entry.end() && c->is_object() && c->contains("name"))
        named = &(*c)["name"];
      check(named != nullptr && named->is_string() && !named->get_ref<const std::string&>().empty(), entry_where,
            ": an InputLayer needs a name; received ", named ? describe(*named) : std::string("none"), ".");
      const std::string input_name = named->get<std::string>();
      check(!outputs.contains(input_name) && !entries.contains(input_name), entry_where, ": the name ",
            descent::quoted(input_name), " is taken by another layer.");
      outputs[input_name].push_back(Input(shape, {.name = input_name}));
      continue;
    }
    Entry made;
    made.where = entry_where;
    made.layer = layer_from_json(entry, entry_where);
    if (!model_trainable) made.layer->set_trainable(false);
    const std::string layer_name = made.layer->name();
    check(!layer_name.empty(), entry_where, ".config.name: a layer of a Functional model needs a name.");
    check(!outputs.contains(layer_name) && !entries.contains(layer_name), entry_where, ": the name ",
          descent::quoted(layer_name), " is taken by another layer.");
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      made.call_where.push_back(entry_where + ".inbound_nodes[" + std::to_string(k) + "]");
      made.calls.push_back(read_node(nodes[k], made.call_where.back()));
    }
    order.push_back(layer_name);
    entries.emplace(layer_name, std::move(made));
  }

  auto known = [&](const TensorRef& ref) {
    check(outputs.contains(ref.layer) || entries.contains(ref.layer), ref.where, ": unknown layer ",
          descent::quoted(ref.layer), "; the config has no layer of that name.");
    check(ref.index == 0, ref.where, ": output ", ref.index, " of ", descent::quoted(ref.layer),
          "; Descent's layers have one output.");
  };
  for (const auto& [layer_name, entry] : entries)
    for (const Call& call : entry.calls)
      for (const TensorRef& ref : call.args) known(ref);
  for (const auto& refs : {inputs_ref, outputs_ref})
    for (const TensorRef& ref : refs) known(ref);

  // Make the calls whose inputs exist until none is left (the layers list is usually in order; Keras defers too).
  auto ready = [&](const TensorRef& ref) { return outputs[ref.layer].size() > ref.node; };
  for (bool progress = true; progress;) {
    progress = false;
    for (const std::string& layer_name : order) {
      Entry& entry = entries.at(layer_name);
      while (entry.made < entry.calls.size()) {
        const Call& call = entry.calls[entry.made];
        if (!std::all_of(call.args.begin(), call.args.end(), ready)) break;
        std::vector<SymbolicTensor> args;
        for (const TensorRef& ref : call.args) args.push_back(outputs[ref.layer][ref.node]);
        const bool list = call.list || entry.layer->takes_list();
        SymbolicTensor out = within(entry.call_where[entry.made], [&] {
          return list ? (*entry.layer)(args) : (*entry.layer)(args.front());
        });
        outputs[layer_name].push_back(out);
        ++entry.made;
        progress = true;
      }
    }
  }
  for (const std::string& layer_name : order) {
    const Entry& entry = entries.at(layer_name);
    if (entry.made == entry.calls.size()) continue;
    for (const TensorRef& ref : entry.calls[entry.made].args)
      check(ready(ref), ref.where, ": ", descent::quoted(ref.layer), " has no call ", ref.node,
            " that could be made (a missing or circular inbound node).");
  }
  auto tensors = [&](const std::vector<TensorRef>& refs) {
    std::vector<SymbolicTensor> list;
    for (const TensorRef& ref : refs) {
      check(ready(ref), ref.where, ": ", descent::quoted(ref.layer), " has no call ", ref.node, ".");
      list.push_back(outputs[ref.layer][ref.node]);
    }
    return list;
  };
  return within(where, [&] { return Model(tensors(inputs_ref), tensors(outputs_ref), {.name = name}); });
}

json functional_topology(const Model& model, Dialect dialect) {
  const Graph& graph = *model.graph();
  const std::size_t inputs = graph.inputs().size();
  // [layer, call, 0, {}] for a tensor: what made it, and which of the layer's calls.
  auto ref = [&](std::size_t tensor, bool with_kwargs) {
    const std::size_t p = graph.producer(tensor);
    json triple = p == graph.nodes().size()
                      ? json::array({graph.input_names()[tensor], 0, 0})
                      : json::array({graph.nodes()[p].owner->name(), graph.nodes()[p].call_index, 0});
    if (with_kwargs) triple.push_back(json::object());
    return triple;
  };
  json layers = json::array(), input_layers = json::array(), output_layers = json::array();
  for (std::size_t k = 0; k < inputs; ++k) {
    json batch_shape = json::array({nullptr});
    for (Index d : graph.inputs()[k].shape().dims()) batch_shape.push_back(d);
    const std::string& input_name = graph.input_names()[k];
    layers.push_back({{"class_name", "InputLayer"},
                      {"config",
                       {{"batch_input_shape", batch_shape},
                        {"dtype", "float32"},
                        {"sparse", false},
                        {"ragged", false},
                        {"name", input_name}}},
                      {"name", input_name},
                      {"inbound_nodes", json::array()}});
    input_layers.push_back(ref(k, false));
  }
  for (std::size_t l = 0; l < model.size(); ++l) {
    const Layer& layer = model.layer(l);
    json entry = layer_to_json(layer);
    if (dialect == Dialect::tfjs) tfjs_spelling(entry);
    std::vector<json> nodes;  // by call index
    for (const auto& node : graph.nodes()) {
      if (node.owner != &layer) continue;
      if (nodes.size() <= node.call_index) nodes.resize(node.call_index + 1);
      json tensors = json::array();
      for (std::size_t arg : node.args) tensors.push_back(ref(arg, true));
      nodes[node.call_index] = std::move(tensors);
    }
    entry["name"] = layer.name();
    entry["inbound_nodes"] = nodes;
    layers.push_back(std::move(entry));
  }
  for (std::size_t tensor : graph.output_tensors()) output_layers.push_back(ref(tensor, false));
  return {{"class_name", dialect == Dialect::tfjs ? "Model" : "Functional"},
          {"config",
           {{"name", model.name()},
            {"layers", std::move(layers)},
            {"input_layers", std::move(input_layers)},
            {"output_layers", std::move(output_layers)}}},
          {"keras_version", "descent 0.1.0"},
          {"backend", "descent"}};
}

}  // namespace descent::nn::detail
