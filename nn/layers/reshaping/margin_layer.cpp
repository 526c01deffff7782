// MarginLayer: output shapes with their checks, and forward / backward as one window copy each.
#include "margin_layer.hpp"

#include "detail/spatial.hpp"

#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

using reshaping::Grid;
using reshaping::kMaxDim;

MarginLayer::MarginLayer(Kind kind, const Margins2D& margins, const char* layer, const char* option, std::size_t rank,
                         const char* axes)
    : kind_(kind), margins_(margins), option_(option), rank_(rank), axes_(axes) {
  for (const Margins& m : {margins_.height, margins_.width})
    check(m.before >= 0 && m.after >= 0 && m.before <= kMaxDim && m.after <= kMaxDim, layer, ": invalid ", option,
          ". Expected values >= 0 (at most 2^31); received ", option, "=", margins_text(), ".");
}

std::string MarginLayer::margins_text() const {
  auto pair = [](const Margins& m) { return str("(", m.before, ", ", m.after, ")"); };
  return rank_ == 2 ? pair(margins_.height) : str("(", pair(margins_.height), ", ", pair(margins_.width), ")");
}

nlohmann::json MarginLayer::margins_json() const {
  return rank_ == 2 ? reshaping::to_json(margins_.height) : reshaping::to_json(margins_);
}

MarginLayer::Image MarginLayer::image_of(const Shape& input_shape) const {
  reshaping::check_rank(input_shape, rank_, where(), axes_);
  if (rank_ == 2) return {input_shape[0], 1, input_shape[1]};
  return {input_shape[0], input_shape[1], input_shape[2]};
}

MarginLayer::Image MarginLayer::output_of(const Image& in, const Shape& input_shape) const {
  const Index sign = kind_ == Kind::pad ? 1 : -1;
  Image out{in.height + sign * margins_.height.total(), in.width + sign * margins_.width.total(), in.channels};
  if (kind_ == Kind::crop && (out.height < 1 || out.width < 1))
    fail(str(where(), ": ", option_, "=", margins_text(), " leaves nothing of samples of shape ", input_shape,
             ". Expected margins that sum to less than the ", out.height < 1 ? (rank_ == 2 ? "steps" : "height")
                                                                             : "width",
             " (", out.height < 1 ? in.height : in.width, ")."));
  reshaping::check_output_dim(out.height, where(), rank_ == 2 ? "steps" : "height");
  reshaping::check_output_dim(out.width, where(), "width");
  return out;
}

Shape MarginLayer::compute_output_shape(const Shape& input_shape) const {
  const Image out = output_of(image_of(input_shape), input_shape);
  return rank_ == 2 ? Shape{out.height, out.channels} : Shape{out.height, out.width, out.channels};
}

void MarginLayer::build_weights(const Shape& input_shape, Rng&) {
  in_ = image_of(input_shape);
  out_ = output_of(in_, input_shape);
}

const Matrix& MarginLayer::forward(const Matrix& x, bool) {
  check_input(x);
  rows_ = x.rows();
  const Grid in{in_.height, in_.width, in_.channels}, out{out_.height, out_.width, out_.channels};
  const Index top = margins_.height.before, left = margins_.width.before;
  if (kind_ == Kind::pad) {
    if (zeroed_.rows() != x.rows() || zeroed_.cols() != out.size()) zeroed_.setZero(x.rows(), out.size());
    reshaping::copy_window(x, in, 0, 0, zeroed_, out, top, left, in.height, in.width);
    return zeroed_;
  }
  copied_.resize(x.rows(), out.size());
  reshaping::copy_window(x, in, top, left, copied_, out, 0, 0, out.height, out.width);
  return copied_;
}

const Matrix& MarginLayer::backward(const Matrix& dy) {
  const Grid in{in_.height, in_.width, in_.channels}, out{out_.height, out_.width, out_.channels};
  if (dy.rows() != rows_ || dy.cols() != out.size())
    fail(str(where(), ": backward expected dy of ", rows_, " x ", out.size(), "; received ", dy.rows(), " x ",
             dy.cols(), "."));
  if (!input_gradient_needed_) return none_;
  const Index top = margins_.height.before, left = margins_.width.before;
  if (kind_ == Kind::pad) {
    copied_.resize(dy.rows(), in.size());
    reshaping::copy_window(dy, out, top, left, copied_, in, 0, 0, in.height, in.width);
    return copied_;
  }
  if (zeroed_.rows() != dy.rows() || zeroed_.cols() != in.size()) zeroed_.setZero(dy.rows(), in.size());
  reshaping::copy_window(dy, out, 0, 0, zeroed_, in, top, left, out.height, out.width);
  return zeroed_;
}

}  // namespace descent::nn
