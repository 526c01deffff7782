// summary(): Keras 3's table of layers, output shapes and parameter counts (and, for graphs, what each layer is
// connected to).
#include "sequential.hpp"

#include "detail/graph.hpp"

#include <descent/core/error.hpp>
#include <descent/core/text.hpp>

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <vector>

namespace descent::nn {
namespace {

// Keras's column widths: three for a chain, four with "Connected to" for a graph.
using Widths = std::vector<int>;
const Widths kChain = {33, 24, 15};
const Widths kGraph = {31, 24, 11, 30};

// Pads by code points, not bytes, so the box-drawing borders line up.
std::string cell(const std::string& text, int width, bool right) {
  const auto points = std::count_if(text.begin(), text.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; });
  int pad = std::max(0, width - 2 - static_cast<int>(points));
  std::string out(1, ' ');
  if (right) out.append(static_cast<std::size_t>(pad), ' ');
  out.append(text);
  if (!right) out.append(static_cast<std::size_t>(pad), ' ');
  out.push_back(' ');
  return out;
}

std::string rule(const Widths& widths, const char* left, const char* fill, const char* mid, const char* right) {
  std::string line = left;
  for (std::size_t c = 0; c < widths.size(); ++c) {
    for (int i = 0; i < widths[c]; ++i) line += fill;
    line += c + 1 < widths.size() ? mid : right;
  }
  return line + "\n";
}

// One row; the parameter count (third column) is right-aligned.
std::string row(const Widths& widths, const char* bar, const std::vector<std::string>& cells) {
  std::string line = bar;
  for (std::size_t c = 0; c < widths.size(); ++c) line += cell(cells[c], widths[c], c == 2) + bar;
  return line + "\n";
}

// 5633 -> "5,633": Keras groups digits by thousands in the table and the totals.
std::string grouped(Index n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && digits[i - 1] != '-' && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string bytes(Index params) {
  double size = static_cast<double>(params) * static_cast<double>(sizeof(Scalar));
  const char* units[] = {"B", "KB", "MB", "GB"};
  int u = 0;
  while (size >= 1024 && u < 3) {
    size /= 1024;
    ++u;
  }
  std::ostringstream out;
  out << std::fixed << std::setprecision(2) << size << " " << units[u];
  return out.str();
}

std::string header(const Widths& widths, const std::string& model_name) {
  std::vector<std::string> titles = {"Layer (type)", "Output Shape", "Param #", "Connected to"};
  titles.resize(widths.size());
  return "Model: " + descent::quoted(model_name) + "\n" + rule(widths, "┏", "━", "┳", "┓") + row(widths, "┃", titles) +
         rule(widths, "┡", "━", "╇", "┩");
}

// The layer's parameter count, added to the model's trainable and non-trainable counts.
Index add_counts(Layer& layer, Index& trainable, Index& frozen) {
  Index n = 0, fixed = 0;
  for (Param* p : layer.params()) (layer.trainable() ? n : fixed) += p->value.size();
  for (Param* p : layer.non_trainable_params()) fixed += p->value.size();
  trainable += n;
  frozen += fixed;
  return n + fixed;
}

std::string totals(Index trainable, Index frozen) {
  const Index total = trainable + frozen;
  return str(" Total params: ", grouped(total), " (", bytes(total), ")\n", " Trainable params: ", grouped(trainable),
             " (", bytes(trainable), ")\n", " Non-trainable params: ", grouped(frozen), " (", bytes(frozen), ")\n");
}

}  // namespace

std::string Model::chain_summary() const {
  std::ostringstream out;
  out << header(kChain, name());
  Shape shape = input_shape_;
  Index trainable = 0, frozen = 0;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const Layer& l = *layers_[i];
    std::string shape_text = "?";
    std::string count = built_ ? "" : "0 (unbuilt)";
    if (!shape.empty()) {
      shape = l.compute_output_shape(shape);
      shape_text = shape.batch_str();
    }
    if (built_) count = grouped(add_counts(const_cast<Layer&>(l), trainable, frozen));
    out << row(kChain, "│", {escaped(l.name()) + " (" + l.class_name() + ")", shape_text, count});
    out << (i + 1 < layers_.size() ? rule(kChain, "├", "─", "┼", "┤") : rule(kChain, "└", "─", "┴", "┘"));
  }
  out << totals(trainable, frozen);
  return out.str();
}

std::string Model::summary_text() const {
  if (is_chain()) return chain_summary();
  // Keras prints a chain (one input, each layer called once on the one before) without "Connected to".
  bool chain = graph_->inputs().size() == 1;
  std::vector<int> uses(graph_->nodes().size() + graph_->inputs().size(), 0);
  for (const auto& node : graph_->nodes()) {
    chain &= node.args.size() == 1 && node.call_index == 0;
    for (std::size_t arg : node.args) chain &= ++uses[arg] == 1;
  }
  const Widths& widths = chain ? kChain : kGraph;
  auto cells = [&](std::vector<std::string> c) {
    if (!chain) return c;
    c.pop_back();
    return c;
  };
  // "dense[0][0]": the layer (or input) that made a tensor, which of its calls, and which of the call's outputs.
  auto source = [&](std::size_t tensor) {
    const std::size_t p = graph_->producer(tensor);
    if (p == graph_->nodes().size()) return escaped(graph_->input_names()[tensor]) + "[0][0]";
    const auto& node = graph_->nodes()[p];
    return str(escaped(node.owner->name()), "[", node.call_index, "][0]");
  };
  std::ostringstream out;
  out << header(widths, name());
  std::vector<std::string> lines;  // one per row, so that the separators go between rows
  for (std::size_t k = 0; k < graph_->inputs().size(); ++k)
    lines.push_back(row(widths, "│", cells({escaped(graph_->input_names()[k]) + " (InputLayer)",
                                            graph_->inputs()[k].shape().batch_str(), "0", "-"})));
  Index trainable = 0, frozen = 0;
  for (const auto& layer : layers_) {
    std::vector<std::string> connected;  // a line per input tensor over the layer's calls
    std::string shape_text;
    for (const auto& node : graph_->nodes()) {
      if (node.owner != layer.get()) continue;
      if (shape_text.empty()) shape_text = graph_->shape(node.result).batch_str();
      for (std::size_t arg : node.args) connected.push_back(source(arg));
    }
    for (std::size_t i = 0; i + 1 < connected.size(); ++i) connected[i] += ",";
    const std::string count = grouped(add_counts(*layer, trainable, frozen));
    std::string text = row(widths, "│", cells({escaped(layer->name()) + " (" + layer->class_name() + ")",
                                               shape_text, count, connected.front()}));
    for (std::size_t i = 1; i < connected.size(); ++i) text += row(widths, "│", {"", "", "", connected[i]});
    lines.push_back(text);
  }
  for (std::size_t i = 0; i < lines.size(); ++i)
    out << lines[i]
        << (i + 1 < lines.size() ? rule(widths, "├", "─", "┼", "┤") : rule(widths, "└", "─", "┴", "┘"));
  out << totals(trainable, frozen);
  return out.str();
}


}  // namespace descent::nn
