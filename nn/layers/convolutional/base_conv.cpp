// Shapes: x (n, inputs * channels), cols (chunk * positions, taps * channels), W (taps * channels / groups, filters),
// z = y = (n * positions, filters) while computing, seen as (n, positions * filters) between layers.
#include "base_conv.hpp"

#include "detail/im2col.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/core/matmul.hpp>
#include <descent/nn/detail/data_format.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace descent::nn {

BaseConv::BaseConv(std::size_t rank, Index filters, Tuple kernel_size, ConvOptions options, Index depth_multiplier,
                   bool transposed)
    : rank_(rank),
      transposed_(transposed),
      filters_(depth_multiplier > 0 ? 0 : filters),
      options_(std::move(options)),
      kernel_bias_(options_, depth_multiplier > 0 ? "depthwise" : "kernel"),
      depth_multiplier_(depth_multiplier),
      groups_(options_.groups),
      activation_(get_activation(options_.activation.empty() ? "linear" : options_.activation)),
      rowwise_activation_(activation_->name() == "softmax" || activation_->name() == "log_softmax") {
  const std::string what = depth_multiplier > 0 ? str("DepthwiseConv", rank, "D(depth_multiplier=", depth_multiplier, ")")
                           : str("Conv", rank, "D", transposed ? "Transpose" : "", "(filters=", filters, ")");
  check(depth_multiplier > 0 || filters_ > 0, what, ": expected a positive number of filters.");
  within(what, [&] {
    kernel_size_ = kernel_size.expand(rank, "kernel_size");
    strides_ = options_.strides.expand(rank, "strides");
    dilation_ = options_.dilation_rate.expand(rank, "dilation_rate");
    padding_ = parse_padding(options_.padding, rank == 1 && !transposed);
  });
  check(!options_.output_padding || transposed, what, ": output_padding is an option of the transposed convolutions.");
  check(!transposed || groups_ == 1, what, ": a transposed convolution has no groups.");
  check(depth_multiplier > 0 || (groups_ > 0 && filters_ % groups_ == 0), what, ": groups=", groups_,
        " must be positive and divide filters=", filters_, ".");
  if (options_.activation.empty()) options_.activation = "linear";
  if (depth_multiplier > 0) kernel_.name = "depthwise_kernel";  // TF.js's and Keras 2's name
  name_ = options_.name;
}

Window2D BaseConv::window(const Shape& input_shape) const {
  return make_window(where(), input_shape, kernel_size_, strides_, dilation_, padding_);
}

Shape BaseConv::compute_output_shape(const Shape& input_shape) const {
  const Window2D w = window(input_shape);
  return window_output_shape(w, rank_, depth_multiplier_ > 0 ? w.channels * depth_multiplier_ : filters_);
}

Shape BaseConv::kernel_shape(Index channels) const {
  std::vector<Index> shape = kernel_size_;
  shape.push_back(depth_multiplier_ > 0 ? channels : channels / groups_);
  shape.push_back(depth_multiplier_ > 0 ? depth_multiplier_ : filters_);
  return Shape(shape);
}

void BaseConv::build_weights(const Shape& input_shape, Rng& rng) {
  window_ = window(input_shape);
  const Index channels = input_shape.back();
  if (depth_multiplier_ > 0) {
    groups_ = channels;
    filters_ = channels * depth_multiplier_;
  }
  check(channels % groups_ == 0, where(), ": groups=", groups_, " must divide the input's ", channels,
        " channels (input shape ", input_shape, ").");
  kernel_.resize(kernel_shape(channels));
  if (options_.use_bias) bias_.resize({filters_});
  kernel_bias_.initialize(kernel_, bias_or_null(), rng);
  positions_ = output_positions();
  auto ones = [](const std::vector<Index>& v) { return std::all_of(v.begin(), v.end(), [](Index k) { return k == 1; }); };
  pointwise_ = groups_ == 1 && ones(kernel_size_) && ones(strides_);
  // im2col's rows: one per position of the window, each holding every tap of every channel it slides over.
  const Index cols_per_sample = window_.outputs() * window_.rows.size * window_.cols.size * window_.channels;
  chunk_ = pointwise_ ? kMaxWeightElements : std::max<Index>(1, kColsBudget / cols_per_sample);
}

ConstMatrixView BaseConv::kernel_matrix() const {
  return view(kernel_.value, kernel_.value.size() / filters_, filters_);
}

MatrixView BaseConv::kernel_gradient() { return view(kernel_.grad, kernel_.grad.size() / filters_, filters_); }

ConstMatrixView BaseConv::columns_of(const Matrix& x, Index first, Index count) {
  const Index positions = window_.outputs(), channels = window_.channels;
  if (pointwise_) return sample_rows(view(x, x.rows() * positions, channels), first, count, positions);
  const Index width = window_.rows.size * window_.cols.size * channels;
  cols_.resize(std::min(chunk_, x.rows()) * positions, width);
  im2col(x.data() + first * x.cols(), count, window_, groups_, cols_.data());
  return view(cols_, count * positions, width);
}

void BaseConv::convolve(const Matrix& x) {
  const Index n = x.rows(), positions = window_.outputs();
  const ConstMatrixView kernel = kernel_matrix();
  const Index group_width = kernel.rows, group_filters = filters_ / groups_;
  z_.resize(n * positions, filters_);
  for_each_chunk(n, [&](Index first, Index count) {
    const ConstMatrixView cols = columns_of(x, first, count);
    const MatrixView z = sample_rows(view(z_), first, count, positions);
    for (Index g = 0; g < groups_; ++g)
      gemm(columns(cols, g * group_width, group_width), false, columns(kernel, g * group_filters, group_filters),
           false, columns(z, g * group_filters, group_filters));
  });
}

const Matrix& BaseConv::forward(const Matrix& x, bool) {
  // where() builds a string: only on failure, since a training step allocates nothing.
  if (kernel_.value.size() == 0) fail(str(where(), ": used before build()."));
  check_input(x);
  x_ = &x;
  convolve(x);
  const Matrix* bias = options_.use_bias ? &bias_.value : nullptr;
  if (!activation_->is_identity())
    activation_->forward_biased(z_, bias, activation_->in_place() ? z_ : a_);
  else if (bias)
    z_.rowwise() += bias->row(0);
  // The same values, one row per sample: resizing to the same size keeps them (and allocates nothing).
  const Index n = x.rows(), width = positions_ * filters_;
  z_.resize(n, width);
  if (&output() == &a_) a_.resize(n, width);
  if (auto* activity = kernel_bias_.activity_regularizer()) activity_penalty_ = activity->value(output());
  return output();
}

const Matrix& BaseConv::backward(const Matrix& dy) {
  const Index n = z_.rows(), positions = positions_;
  if (x_ == nullptr || dy.rows() != n || dy.cols() != positions * filters_)
    fail(str(where(), ": backward expected dy of ", n, " x ", positions * filters_, "; received ", dy.rows(), " x ",
             dy.cols(), "."));
  const Matrix* d = &dy;
  if (auto* activity = kernel_bias_.activity_regularizer()) {
    dy_ = dy;
    activity->add_gradient(output(), dy_);
    d = &dy_;
  }
  if (activation_->is_identity()) return backward_linear(view(*d, n * positions, filters_));
  if (rowwise_activation_) {
    // softmax's derivative mixes the filters of one position: every matrix takes the (positions, filters) shape.
    if (d != &dy_) dy_ = dy;
    for (Matrix* m : {&dy_, &z_, &a_}) m->resize(n * positions, filters_);
    d = &dy_;
  }
  activation_->backward(z_, output(), *d, z_);  // dz overwrites z, as in Dense
  return backward_linear(view(z_, n * positions, filters_));
}

const Matrix& BaseConv::backward_from_logits(const Matrix& dlogits) {
  const Index n = z_.rows(), positions = positions_;
  auto* activity = kernel_bias_.activity_regularizer();
  if (!activity) return backward_linear(view(dlogits, n * positions, filters_));
  // The activity penalty is on the activation's output, so its gradient still flows through the activation
  // (final_activation() is never softmax over more than one position, so the element-wise shape serves).
  dy_.setZero(n, positions * filters_);
  activity->add_gradient(output(), dy_);
  activation_->backward(z_, output(), dy_, z_);
  z_ += dlogits;
  return backward_linear(view(z_, n * positions, filters_));
}

const Matrix& BaseConv::backward_linear(ConstMatrixView dz) {
  const Matrix& x = *x_;
  const Index n = x.rows(), positions = window_.outputs();
  const ConstMatrixView kernel = kernel_matrix();
  const MatrixView dkernel = kernel_gradient();
  const Index group_width = kernel.rows, group_filters = filters_ / groups_;
  const bool one_chunk = n <= chunk_;  // then cols_ still holds forward's columns
  if (input_gradient_needed_) dx_.resize(n, x.cols());
  for_each_chunk(n, [&](Index first, Index count) {
    const ConstMatrixView cols =
        one_chunk && !pointwise_ ? view(cols_, count * positions, cols_.cols()) : columns_of(x, first, count);
    const ConstMatrixView dzc = sample_rows(dz, first, count, positions);
    for (Index g = 0; g < groups_; ++g)  // dW (+)= colsᵀ dz, group by group
      gemm(columns(cols, g * group_width, group_width), true, columns(dzc, g * group_filters, group_filters), false,
           columns(dkernel, g * group_filters, group_filters), first > 0);
    if (!input_gradient_needed_) return;
    if (pointwise_) {  // dx = dz Wᵀ directly, x being its own cols
      gemm(dzc, false, kernel, true, sample_rows(view(dx_, n * positions, window_.channels), first, count, positions));
      return;
    }
    // dcols = dz Wᵀ over cols_, whose columns dW no longer needs; then each value goes back to its input.
    const MatrixView dcols = view(cols_, count * positions, cols_.cols());
    for (Index g = 0; g < groups_; ++g)
      gemm(columns(dzc, g * group_filters, group_filters), false, columns(kernel, g * group_filters, group_filters),
           true, columns(dcols, g * group_width, group_width));
    col2im(cols_.data(), count, window_, groups_, dx_.data() + first * x.cols());
  });
  add_bias_and_penalty_gradients(dz);
  return dx_;
}

void BaseConv::add_bias_and_penalty_gradients(ConstMatrixView dz) {
  if (options_.use_bias) {
    Eigen::Map<const Matrix, 0, Eigen::OuterStride<>> dzm(dz.data, dz.rows, dz.cols, Eigen::OuterStride<>(dz.stride));
    bias_.grad.noalias() = dzm.colwise().sum();
  }
  kernel_bias_.add_penalty_gradients(kernel_, bias_or_null());
}

std::vector<Param*> BaseConv::params() {
  if (options_.use_bias) return {&kernel_, &bias_};
  return {&kernel_};
}

double BaseConv::regularization_loss() const {
  return kernel_bias_.penalty(kernel_, bias_or_null(), trainable_, activity_penalty_);
}

void BaseConv::apply_constraints() { kernel_bias_.apply_constraints(kernel_, bias_or_null()); }

// Softmax over one position's filters is not softmax over the row, which the fused logits form assumes.
std::string BaseConv::final_activation() const {
  if (activation_->is_identity() || (rowwise_activation_ && positions_ != 1)) return "";
  return activation_->name();
}

json BaseConv::config() const {
  json config = {{"name", name_}};
  if (depth_multiplier_ == 0) config["filters"] = filters_;
  config.update({{"kernel_size", kernel_size_},
                 {"strides", strides_},
                 {"padding", padding_name(padding_)},
                 {"data_format", "channels_last"},
                 {"dilation_rate", dilation_}});
  if (depth_multiplier_ > 0) config["depth_multiplier"] = depth_multiplier_;
  if (depth_multiplier_ == 0 && !transposed_) config["groups"] = options_.groups;
  if (transposed_)
    config["output_padding"] = options_.output_padding ? json(options_.output_padding->expand(rank_, "output_padding", 0))
                                                       : json();
  config.update({{"activation", options_.activation}, {"use_bias", options_.use_bias}});
  kernel_bias_.write(config);
  return config;
}

Index BaseConv::read_filters(ConfigReader& r) {
  long filters = 0;
  r.read("filters", filters);
  check_at(filters > 0, r.path("filters"), "expected a positive integer; received ",
           r.find("filters") ? std::to_string(filters) : std::string("nothing"), ".");
  return filters;
}

ConvOptions BaseConv::read_options(ConfigReader& r, const char* class_name, std::size_t rank, Tuple& kernel_size,
                                   const char* kernel) {
  check_at(r.find("kernel_size") != nullptr, r.path("kernel_size"), "is required.");
  read_tuple(r, "kernel_size", kernel_size);
  ConvOptions o;
  read_tuple(r, "strides", o.strides);
  read_tuple(r, "dilation_rate", o.dilation_rate);
  r.read("padding", o.padding);
  within(r.path("padding"), [&] { parse_padding(o.padding, rank == 1); });
  within(r.path("data_format"), [&] { check_data_format(read_data_format(r), class_name); });
  o.activation = read_activation(r);
  r.read("use_bias", o.use_bias);
  KernelBias::read(r, o, kernel);
  o.name = read_common(r);
  return o;
}

}  // namespace descent::nn
