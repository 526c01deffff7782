#include "base_pooling.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/nn/detail/data_format.hpp>
#include <descent/nn/detail/layer_config.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

namespace descent::nn {
namespace {

// The inputs [begin, end) along one axis that output o's window covers, padding left out.
struct Span {
  Index begin, end;
};
Span span(const WindowAxis& a, Index o) {
  const Index start = o * a.stride - a.pad_before;
  return {std::max<Index>(start, 0), std::min(start + a.size, a.input)};
}

}  // namespace

BasePooling::BasePooling(std::size_t rank, Reduce reduce, Tuple pool_size, PoolingOptions options)
    : rank_(rank), reduce_(reduce), options_(std::move(options)) {
  within(str(reduce == Reduce::max ? "Max" : "Average", "Pooling", rank, "D"), [&] {
    pool_size_ = pool_size.expand(rank, "pool_size");
    strides_ = options_.strides ? options_.strides->expand(rank, "strides") : pool_size_;
    padding_ = parse_padding(options_.padding, false);
  });
  name_ = options_.name;
}

Window2D BasePooling::window(const Shape& input_shape) const {
  return make_window(where(), input_shape, pool_size_, strides_, std::vector<Index>(rank_, 1), padding_);
}

Shape BasePooling::compute_output_shape(const Shape& input_shape) const {
  const Window2D w = window(input_shape);
  return window_output_shape(w, rank_, w.channels);
}

void BasePooling::build_weights(const Shape& input_shape, Rng&) {
  window_ = window(input_shape);
  check(window_.inputs() * window_.channels <= std::numeric_limits<std::int32_t>::max(), where(),
        ": samples of more than 2^31 values are not supported (input shape ", input_shape, ").");
}

const Matrix& BasePooling::forward(const Matrix& x, bool) {
  check_input(x);
  const Window2D& w = window_;
  const Index n = x.rows(), channels = w.channels, out_width = w.outputs() * channels;
  y_.resize(n, out_width);
  if (reduce_ == Reduce::max) argmax_.resize(static_cast<std::size_t>(n * out_width));
#pragma omp parallel for num_threads(sample_threads(n, out_width * w.rows.size * w.cols.size)) schedule(static)
  for (Index s = 0; s < n; ++s) {
    const Scalar* in = x.data() + s * x.cols();
    Scalar* out = y_.data() + s * out_width;
    std::int32_t* from = reduce_ == Reduce::max ? argmax_.data() + s * out_width : nullptr;
    for (Index oy = 0; oy < w.rows.output; ++oy) {
      const Span ys = span(w.rows, oy);
      for (Index ox = 0; ox < w.cols.output; ++ox, out += channels) {
        const Span xs = span(w.cols, ox);
        if (reduce_ == Reduce::max) {
          // The first input of the window starts the maximum; a later one replaces it only when larger, so ties
          // keep the first, whose input gets the gradient (as TensorFlow's pools).
          const Index first = (ys.begin * w.cols.input + xs.begin) * channels;
          for (Index c = 0; c < channels; ++c) {
            out[c] = in[first + c];
            from[c] = static_cast<std::int32_t>(first + c);
          }
          for (Index iy = ys.begin; iy < ys.end; ++iy)
            for (Index ix = iy == ys.begin ? xs.begin + 1 : xs.begin; ix < xs.end; ++ix) {
              const Index at = (iy * w.cols.input + ix) * channels;
              for (Index c = 0; c < channels; ++c)
                if (in[at + c] > out[c]) {
                  out[c] = in[at + c];
                  from[c] = static_cast<std::int32_t>(at + c);
                }
            }
          from += channels;
        } else {
          std::fill_n(out, channels, Scalar(0));
          for (Index iy = ys.begin; iy < ys.end; ++iy)
            for (Index ix = xs.begin; ix < xs.end; ++ix) {
              const Scalar* v = in + (iy * w.cols.input + ix) * channels;
              for (Index c = 0; c < channels; ++c) out[c] += v[c];
            }
          const Scalar inverse = Scalar(1) / static_cast<Scalar>((ys.end - ys.begin) * (xs.end - xs.begin));
          for (Index c = 0; c < channels; ++c) out[c] *= inverse;
        }
      }
    }
  }
  return y_;
}

const Matrix& BasePooling::backward(const Matrix& dy) {
  const Window2D& w = window_;
  const Index n = y_.rows(), channels = w.channels, out_width = w.outputs() * channels;
  check(dy.rows() == n && dy.cols() == out_width, where(), ": backward expected dy of ", n, " x ", out_width,
        "; received ", dy.rows(), " x ", dy.cols(), ".");
  if (!input_gradient_needed_) return dx_;
  const Index in_width = w.inputs() * channels;
  dx_.setZero(n, in_width);
#pragma omp parallel for num_threads(sample_threads(n, out_width * w.rows.size * w.cols.size)) schedule(static)
  for (Index s = 0; s < n; ++s) {
    const Scalar* d = dy.data() + s * out_width;
    Scalar* dx = dx_.data() + s * in_width;
    if (reduce_ == Reduce::max) {
      const std::int32_t* from = argmax_.data() + s * out_width;
      for (Index i = 0; i < out_width; ++i) dx[from[i]] += d[i];
      continue;
    }
    for (Index oy = 0; oy < w.rows.output; ++oy) {
      const Span ys = span(w.rows, oy);
      for (Index ox = 0; ox < w.cols.output; ++ox, d += channels) {
        const Span xs = span(w.cols, ox);
        const Scalar inverse = Scalar(1) / static_cast<Scalar>((ys.end - ys.begin) * (xs.end - xs.begin));
        for (Index iy = ys.begin; iy < ys.end; ++iy)
          for (Index ix = xs.begin; ix < xs.end; ++ix) {
            Scalar* v = dx + (iy * w.cols.input + ix) * channels;
            for (Index c = 0; c < channels; ++c) v[c] += d[c] * inverse;
          }
      }
    }
  }
  return dx_;
}

json BasePooling::config() const {
  return {{"name", name_},
          {"pool_size", pool_size_},
          {"strides", strides_},
          {"padding", padding_name(padding_)},
          {"data_format", "channels_last"}};
}

PoolingOptions BasePooling::read_options(ConfigReader& r, const char* class_name, Tuple& pool_size) {
  PoolingOptions o;
  read_tuple(r, "pool_size", pool_size);
  if (const json* s = r.find("strides"); s && !s->is_null()) {
    Tuple strides = 1;
    read_tuple(r, "strides", strides);
    o.strides = strides;
  }
  r.read("padding", o.padding);
  within(r.path("padding"), [&] { parse_padding(o.padding, false); });
  within(r.path("data_format"), [&] { check_data_format(read_data_format(r), class_name); });
  o.name = read_common(r);
  return o;
}

}  // namespace descent::nn
