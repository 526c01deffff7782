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
namespace {

// The samples of a chunk: rows [first * rows_per_sample, ...) of a view whose rows are positions.
ConstMatrixView sample_rows(ConstMatrixView v, Index first, Index count, Index rows_per_sample) {
  return {v.data + first * rows_per_sample * v.stride, count * rows_per_sample, v.cols, v.stride};
}
MatrixView sample_rows(MatrixView v, Index first, Index count, Index rows_per_sample) {
  return {v.data + first * rows_per_sample * v.stride, count * rows_per_sample, v.cols, v.stride};
}

}  // namespace

BaseConv::BaseConv(std::size_t rank, Index filters, Tuple kernel_size, ConvOptions options)
    : rank_(rank),
      filters_(filters),
      options_(std::move(options)),
      activation_(get_activation(options_.activation.empty() ? "linear" : options_.activation)),
      rowwise_activation_(activation_->name() == "softmax" || activation_->name() == "log_softmax"),
      kernel_bias_(options_) {
  const std::string what = str("Conv", rank, "D(filters=", filters, ")");
  check(filters_ > 0, what, ": expected a positive number of filters.");
  within(what, [&] {
    kernel_size_ = kernel_size.expand(rank, "kernel_size");
    strides_ = options_.strides.expand(rank, "strides");
    dilation_ = options_.dilation_rate.expand(rank, "dilation_rate");
    padding_ = parse_padding(options_.padding, rank == 1);
  });
  check(options_.groups > 0 && filters_ % options_.groups == 0, what, ": groups=", options_.groups,
        " must be positive and divide filters=", filters_, ".");
  if (options_.activation.empty()) options_.activation = "linear";
  name_ = options_.name;
}

Window2D BaseConv::window(const Shape& input_shape) const {
  return make_window(where(), input_shape, kernel_size_, strides_, dilation_, padding_);
}

Shape BaseConv::compute_output_shape(const Shape& input_shape) const {
  return window_output_shape(window(input_shape), rank_, filters_);
}

void BaseConv::build_weights(const Shape& input_shape, Rng& rng) {
  window_ = window(input_shape);
  const Index channels = window_.channels, groups = options_.groups;
  check(channels % groups == 0, where(), ": groups=", groups, " must divide the input's ", channels,
        " channels (input shape ", input_shape, ").");
  std::vector<Index> kernel_shape = kernel_size_;
  kernel_shape.push_back(channels / groups);
  kernel_shape.push_back(filters_);
  kernel_.resize(Shape(kernel_shape));
  if (options_.use_bias) bias_.resize({filters_});
  kernel_bias_.initialize(kernel_, bias_or_null(), rng);
  pointwise_ = groups == 1 && std::all_of(kernel_size_.begin(), kernel_size_.end(), [](Index k) { return k == 1; }) &&
               std::all_of(strides_.begin(), strides_.end(), [](Index s) { return s == 1; });
  const Index cols_per_sample = window_.outputs() * kernel_.value.rows() * groups;
  chunk_ = pointwise_ ? kMaxWeightElements : std::max<Index>(1, kColsBudget / cols_per_sample);
}

ConstMatrixView BaseConv::columns_of(const Matrix& x, Index first, Index count) {
  const Index positions = window_.outputs(), channels = window_.channels;
  if (pointwise_) return sample_rows(view(x, x.rows() * positions, channels), first, count, positions);
  const Index width = kernel_.value.rows() * options_.groups;
  cols_.resize(std::min(chunk_, x.rows()) * positions, width);
  im2col(x.data() + first * x.cols(), count, window_, options_.groups, cols_.data());
  return view(cols_, count * positions, width);
}

void BaseConv::convolve(const Matrix& x) {
  const Index n = x.rows(), positions = window_.outputs(), groups = options_.groups;
  const Index group_width = kernel_.value.rows(), group_filters = filters_ / groups;
  z_.resize(n * positions, filters_);
  for (Index first = 0; first < n; first += chunk_) {
    const Index count = std::min(chunk_, n - first);
    const ConstMatrixView cols = columns_of(x, first, count);
    const MatrixView z = sample_rows(view(z_), first, count, positions);
    for (Index g = 0; g < groups; ++g)
      gemm(columns(cols, g * group_width, group_width), false,
           columns(view(kernel_.value), g * group_filters, group_filters), false,
           columns(z, g * group_filters, group_filters));
  }
}

const Matrix& BaseConv::forward(const Matrix& x, bool) {
  check(kernel_.value.size() > 0, where(), ": used before build().");
  check_input(x);
  x_ = &x;
  convolve(x);
  const Matrix* bias = options_.use_bias ? &bias_.value : nullptr;
  if (!activation_->is_identity())
    activation_->forward_biased(z_, bias, activation_->in_place() ? z_ : a_);
  else if (bias)
    z_.rowwise() += bias->row(0);
  // The same values, one row per sample: resizing to the same size keeps them (and allocates nothing).
  const Index n = x.rows(), width = window_.outputs() * filters_;
  z_.resize(n, width);
  if (&output() == &a_) a_.resize(n, width);
  if (auto* activity = kernel_bias_.activity_regularizer()) activity_penalty_ = activity->value(output());
  return output();
}

const Matrix& BaseConv::backward(const Matrix& dy) {
  const Index n = z_.rows(), positions = window_.outputs();
  check(x_ != nullptr && dy.rows() == n && dy.cols() == positions * filters_, where(), ": backward expected dy of ",
        n, " x ", positions * filters_, "; received ", dy.rows(), " x ", dy.cols(), ".");
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
  const Index n = z_.rows(), positions = window_.outputs();
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
  const Index n = x.rows(), positions = window_.outputs(), groups = options_.groups;
  const Index group_width = kernel_.value.rows(), group_filters = filters_ / groups;
  const bool one_chunk = n <= chunk_;  // then cols_ still holds forward's columns
  if (input_gradient_needed_) dx_.resize(n, x.cols());
  for (Index first = 0; first < n; first += chunk_) {
    const Index count = std::min(chunk_, n - first);
    const ConstMatrixView cols =
        one_chunk && !pointwise_ ? view(cols_, count * positions, cols_.cols()) : columns_of(x, first, count);
    const ConstMatrixView dzc = sample_rows(dz, first, count, positions);
    for (Index g = 0; g < groups; ++g)  // dW (+)= colsᵀ dz, group by group
      gemm(columns(cols, g * group_width, group_width), true, columns(dzc, g * group_filters, group_filters), false,
           columns(view(kernel_.grad), g * group_filters, group_filters), first > 0);
    if (!input_gradient_needed_) continue;
    if (pointwise_) {  // dx = dz Wᵀ directly, x being its own cols
      gemm(dzc, false, view(kernel_.value), true,
           sample_rows(view(dx_, n * positions, window_.channels), first, count, positions));
      continue;
    }
    // dcols = dz Wᵀ over cols_, whose columns dW no longer needs; then each value goes back to its input.
    const MatrixView dcols = view(cols_, count * positions, cols_.cols());
    for (Index g = 0; g < groups; ++g)
      gemm(columns(dzc, g * group_filters, group_filters), false,
           columns(view(kernel_.value), g * group_filters, group_filters), true,
           columns(dcols, g * group_width, group_width));
    col2im(cols_.data(), count, window_, groups, dx_.data() + first * x.cols());
  }
  if (options_.use_bias) {
    Eigen::Map<const Matrix, 0, Eigen::OuterStride<>> dzm(dz.data, dz.rows, dz.cols, Eigen::OuterStride<>(dz.stride));
    bias_.grad.noalias() = dzm.colwise().sum();
  }
  kernel_bias_.add_penalty_gradients(kernel_, bias_or_null());
  return dx_;
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
  if (activation_->is_identity() || (rowwise_activation_ && window_.outputs() != 1)) return "";
  return activation_->name();
}

json BaseConv::config() const {
  json config = {{"name", name_},
                 {"filters", filters_},
                 {"kernel_size", kernel_size_},
                 {"strides", strides_},
                 {"padding", padding_name(padding_)},
                 {"data_format", "channels_last"},
                 {"dilation_rate", dilation_},
                 {"groups", options_.groups},
                 {"activation", options_.activation},
                 {"use_bias", options_.use_bias}};
  kernel_bias_.write(config);
  return config;
}

ConvOptions BaseConv::read_options(ConfigReader& r, std::size_t rank, Index& filters, Tuple& kernel_size) {
  long f = 0;
  r.read("filters", f);
  filters = f;
  check_at(r.find("kernel_size") != nullptr, r.path("kernel_size"), "is required.");
  read_tuple(r, "kernel_size", kernel_size);
  ConvOptions o;
  read_tuple(r, "strides", o.strides);
  read_tuple(r, "dilation_rate", o.dilation_rate);
  r.read("padding", o.padding);
  within(r.path("padding"), [&] { parse_padding(o.padding, rank == 1); });
  within(r.path("data_format"), [&] { check_data_format(read_data_format(r), str("Conv", rank, "D").c_str()); });
  r.read("groups", o.groups);
  o.activation = read_activation(r);
  r.read("use_bias", o.use_bias);
  KernelBias::read(r, o);
  o.name = read_common(r);
  r.finish();
  check_at(filters > 0, r.path("filters"), "expected a positive integer; received ",
           r.find("filters") ? std::to_string(filters) : std::string("nothing"), ".");
  return o;
}

}  // namespace descent::nn
