// Merge: what every merge layer shares — its shapes, and the one-tensor forms it refuses.
#include "merge.hpp"

#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

void Merge::build(const std::vector<Shape>& shapes) {
  output_shape_ = compute_output_shape(shapes);
  shapes_ = shapes;
  input_shape_ = output_shape_;  // so that input_dim() and summary see a built layer
}

const Matrix& Merge::forward(const Matrix&, bool) {
  fail(str(where(), ": takes a list of inputs; only a model's graph runs it."));
}
const Matrix& Merge::backward(const Matrix&) {
  fail(str(where(), ": takes a list of inputs; only a model's graph runs it."));
}

nlohmann::json Merge::config() const { return {{"name", name_}}; }

void Merge::check_inputs(const std::vector<const Matrix*>& xs) const {
  bool fits = xs.size() == shapes_.size();
  for (std::size_t k = 0; fits && k < xs.size(); ++k)
    fits = xs[k]->cols() == shapes_[k].size() && xs[k]->rows() == xs.front()->rows();
  if (fits) return;
  std::string received;
  for (const Matrix* x : xs) received += str(received.empty() ? "" : ", ", x->rows(), " x ", x->cols());
  fail(str(where(), ": expected ", shapes_.size(), " inputs of shapes ", shapes_text(shapes_),
           " with one row per sample; received [", received, "]."));
}

void Merge::check_gradient(const Matrix& dy, Index rows) const {
  if (dy.rows() == rows && dy.cols() == output_shape_.size()) return;
  fail(str(where(), ": backward expected dy of ", rows, " x ", output_shape_.size(), "; received ", dy.rows(), " x ",
           dy.cols(), "."));
}

std::string Merge::shapes_text(const std::vector<Shape>& shapes) {
  std::string text = "[";
  for (std::size_t k = 0; k < shapes.size(); ++k) text += (k ? ", " : "") + shapes[k].batch_str();
  return text + "]";
}

}  // namespace descent::nn
