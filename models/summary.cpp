// Sequential::summary: Keras 3's table of layers, output shapes and parameter counts.
#include "sequential.hpp"

#include <descent/core/text.hpp>

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace descent::nn {
namespace {

constexpr int kWidths[3] = {33, 24, 15};

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

std::string rule(const char* left, const char* fill, const char* mid, const char* right) {
  std::string line = left;
  for (int c = 0; c < 3; ++c) {
    for (int i = 0; i < kWidths[c]; ++i) line += fill;
    line += c < 2 ? mid : right;
  }
  return line + "\n";
}

std::string row(const char* bar, const std::string& a, const std::string& b, const std::string& c) {
  return std::string(bar) + cell(a, kWidths[0], false) + bar + cell(b, kWidths[1], false) + bar +
         cell(c, kWidths[2], true) + bar + "\n";
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

}  // namespace

std::string Sequential::summary_text() const {
  std::ostringstream out;
  out << "Model: " << quoted(name()) << "\n";
  out << rule("┏", "━", "┳", "┓");
  out << row("┃", "Layer (type)", "Output Shape", "Param #");
  out << rule("┡", "━", "╇", "┩");
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
    if (built_) {
      Layer& layer = const_cast<Layer&>(l);
      Index n = 0, fixed = 0;
      for (Param* p : layer.params()) (l.trainable() ? n : fixed) += p->value.size();
      for (Param* p : layer.non_trainable_params()) fixed += p->value.size();
      trainable += n;
      frozen += fixed;
      count = grouped(n + fixed);
    }
    out << row("│", escaped(l.name()) + " (" + l.class_name() + ")", shape_text, count);
    out << (i + 1 < layers_.size() ? rule("├", "─", "┼", "┤") : rule("└", "─", "┴", "┘"));
  }
  const Index total = trainable + frozen;
  out << " Total params: " << grouped(total) << " (" << bytes(total) << ")\n";
  out << " Trainable params: " << grouped(trainable) << " (" << bytes(trainable) << ")\n";
  out << " Non-trainable params: " << grouped(frozen) << " (" << bytes(frozen) << ")\n";
  return out.str();
}


}  // namespace descent::nn
