// Flatten forward and backward: both pass their argument through, since the batch matrix is already flat.
#include "flatten.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/data_format.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

Flatten::Flatten(FlattenOptions options) : options_(std::move(options)) {
  check_data_format(options_.data_format, "Flatten");
  name_ = options_.name;
}

Shape Flatten::compute_output_shape(const Shape& input_shape) const { return Shape(input_shape.size()); }

const Matrix& Flatten::forward(const Matrix& x, bool) {
  check_input(x);
  rows_ = x.rows();
  return x;
}

const Matrix& Flatten::backward(const Matrix& dy) {
  if (dy.rows() != rows_ || dy.cols() != input_dim())
    fail(str(where(), ": backward expected dy of ", rows_, " x ", input_dim(), "; received ", dy.rows(), " x ",
             dy.cols(), "."));
  return input_gradient_needed_ ? dy : none_;
}

json Flatten::config() const { return {{"name", name_}, {"data_format", options_.data_format}}; }

std::unique_ptr<Layer> Flatten::from_config(ConfigReader& r) {
  FlattenOptions o;
  o.data_format = read_data_format(r);
  o.name = read_common(r);
  r.finish();
  return std::make_unique<Flatten>(o);
}

}  // namespace descent::nn
