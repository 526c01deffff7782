// Reshape: the target shape's checks and its -1; forward and backward pass their argument through.
#include "reshape.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/layer_config.hpp>
#include <descent/nn/layers/reshaping/detail/spatial.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace descent::nn {

using reshaping::kMaxDim;

Reshape::Reshape(std::vector<Index> target_shape, ReshapeOptions options) : target_shape_(std::move(target_shape)) {
  name_ = std::move(options.name);
  const Shape given(target_shape_);
  check(!target_shape_.empty(), "Reshape: expected a target_shape of at least one axis; received target_shape=().");
  check(std::count(target_shape_.begin(), target_shape_.end(), Index{-1}) <= 1,
        "Reshape: at most one entry of target_shape may be -1 (the size inferred); received target_shape=", given,
        ".");
  for (Index d : target_shape_)
    check(d == -1 || (d > 0 && d <= kMaxDim), "Reshape: expected target_shape entries that are positive sizes ",
          "(at most 2^31) or one -1; received target_shape=", given, ".");
}

Shape Reshape::compute_output_shape(const Shape& input_shape) const {
  const Index size = input_shape.size();
  Index known = 1;  // the product of the entries besides -1, compared with size before it could overflow
  bool beyond = false;
  for (Index d : target_shape_)
    if (d != -1) {
      if (known > size / d) beyond = true;
      else known *= d;
    }
  std::vector<Index> dims = target_shape_;
  const auto unknown = std::find(dims.begin(), dims.end(), Index{-1});
  const bool fits = !beyond && (unknown == dims.end() ? known == size : size % known == 0);
  if (!fits)
    fail(str(where(), ": cannot reshape samples of shape ", input_shape, " (", size, " values) to target_shape ",
             Shape(target_shape_), " (", beyond ? "more than " : unknown == dims.end() ? "" : "a multiple of ",
             beyond ? size : known, " values). Expected a target_shape that holds the sample's values exactly."));
  if (unknown != dims.end()) *unknown = size / known;
  return Shape(std::move(dims));
}

void Reshape::build_weights(const Shape& input_shape, Rng&) { compute_output_shape(input_shape); }

const Matrix& Reshape::forward(const Matrix& x, bool) {
  check_input(x);
  rows_ = x.rows();
  return x;
}

const Matrix& Reshape::backward(const Matrix& dy) {
  if (dy.rows() != rows_ || dy.cols() != input_dim())
    fail(str(where(), ": backward expected dy of ", rows_, " x ", input_dim(), "; received ", dy.rows(), " x ",
             dy.cols(), "."));
  return input_gradient_needed_ ? dy : none_;
}

json Reshape::config() const { return {{"name", name_}, {"target_shape", target_shape_}}; }

std::unique_ptr<Layer> Reshape::from_config(ConfigReader& r) {
  const json* v = r.find("target_shape");
  check_at(v != nullptr, r.path("target_shape"), "missing. Expected a list of sizes such as [7, 7, 64].");
  check_at(v->is_array(), r.path("target_shape"), "expected a list of sizes such as [7, 7, 64]; received ",
           describe(*v), ".");
  std::vector<Index> target;
  for (const json& d : *v) {
    // TF.js writes the inferred size as null, which Keras 3 reads as -1.
    const std::optional<Index> size = d.is_null() ? Index{-1} : reshaping::json_integer(d, -1, kMaxDim);
    check_at(size.has_value(), r.path("target_shape"), "expected positive sizes (at most 2^31) or one -1; received ",
             describe(d), " in ", v->dump(), ".");
    target.push_back(*size);
  }
  std::string name = read_common(r);
  r.finish();
  return std::make_unique<Reshape>(std::move(target), ReshapeOptions{.name = name});
}

}  // namespace descent::nn
