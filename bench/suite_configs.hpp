// The benchmark suite's configurations B1-B8 (issue #7; B6-B8 are convnets) and their synthetic data, shared by
// every implementation.
#pragma once

#include <descent/descent.hpp>

#include <string>
#include <vector>

namespace bench {

using descent::Index;
using descent::Matrix;

/// B6's and B7's convolutions are all Keras's Conv2D(filters, 3, activation="relu") with "valid" padding and stride
/// 1; the speed-of-light loop implements only those.
inline constexpr Index kKernel = 3;

/// The convolution layers a convnet is built of (Keras's classes; every one has a bias and relu).
enum class ConvKind {
  conv2d,     // Conv2D
  separable,  // SeparableConv2D: a depthwise convolution (no bias), then a 1 x 1 Conv2D to `filters`
  depthwise,  // DepthwiseConv2D, depth_multiplier 1: one filter per input channel
  transpose,  // Conv2DTranspose
};

/// One convolution of a convnet, and the 2 x 2 max pool (stride 2, "valid") after it when `pool`. B6 and B7 set only
/// filters and pool; B8 uses the other layers, strides and "same" padding.
struct Conv {
  Index filters;  // output channels; a depthwise convolution's must equal its input's
  bool pool = false;
  ConvKind kind = ConvKind::conv2d;
  Index kernel = kKernel;  // square windows
  Index strides = 1;
  bool same = false;  // padding "same" (TensorFlow's: out = ceil(in / strides), or in * strides transposed), else
                      // "valid"
};

/// A convolution's geometry at its place in the network: input (height, width, channels), output (out_h, out_w,
/// filters), and the pooled output (pool_h, pool_w, filters) when it pools (else the output itself).
struct ConvShape {
  Conv conv;
  Index height, width, channels, out_h, out_w, filters;
  Index pool_h, pool_w;

  Index positions() const { return out_h * out_w; }
  Index window() const { return conv.kernel * conv.kernel * channels; }  // a Conv2D's im2col row
  Index outputs() const { return pool_h * pool_w * filters; }            // per sample, after the pool
  /// Keras's weight count: kernels (a separable one's depthwise and pointwise) and bias.
  Index parameters() const {
    const Index taps = conv.kernel * conv.kernel;
    switch (conv.kind) {
      case ConvKind::conv2d:
      case ConvKind::transpose: return (taps * channels + 1) * filters;
      case ConvKind::separable: return taps * channels + (channels + 1) * filters;
      case ConvKind::depthwise: return (taps + 1) * channels;
    }
    return 0;
  }
};

struct Config {
  std::string name;           // "B1"
  std::string title;          // "small-classifier"
  std::vector<Index> widths;  // the dense layers: input, hidden..., output; hidden layers use relu. In a convnet the
                              // input is the last convolution's output, flattened
  std::string optimizer;      // "sgd", "momentum" (SGD 0.01, momentum 0.9) or "adam" (1e-3)
  Index batch;
  Index samples;
  bool inference = false;     // predict only (B5)
  std::vector<Index> image = {};  // a convnet's input sample (height, width, channels); empty for an MLP
  std::vector<Conv> convs = {};   // a convnet's convolutions, in order, before Flatten
  double dropout = 0;             // a Dropout of this rate between Flatten and the first Dense (B6)

  bool binary() const { return widths.back() == 1; }
  bool convnet() const { return !convs.empty(); }
  double learning_rate() const { return optimizer == "adam" ? 1e-3 : 0.01; }
  double momentum() const { return optimizer == "momentum" ? 0.9 : 0.0; }
  /// Values per input sample: the image's, or the first dense layer's.
  Index inputs() const { return convnet() ? image[0] * image[1] * image[2] : widths.front(); }
  /// Whether the speed-of-light loop implements this configuration: MLPs, and convnets of B6's and B7's convolutions.
  bool has_loop() const {
    for (const Conv& conv : convs)
      if (conv.kind != ConvKind::conv2d || conv.kernel != kKernel || conv.strides != 1 || conv.same) return false;
    return true;
  }
  /// The convolutions' geometry, in order (empty for an MLP).
  std::vector<ConvShape> conv_shapes() const {
    std::vector<ConvShape> shapes;
    Index h = convnet() ? image[0] : 0, w = convnet() ? image[1] : 0, ch = convnet() ? image[2] : 0;
    for (const Conv& conv : convs) {
      // Keras's output lengths (conv_utils.conv_output_length, deconv_output_length without output_padding).
      const Index k = conv.kernel, stride = conv.strides;
      auto length = [&](Index in) {
        if (conv.kind == ConvKind::transpose) return conv.same ? in * stride : (in - 1) * stride + k;
        return conv.same ? (in + stride - 1) / stride : (in - k) / stride + 1;
      };
      ConvShape s{conv, h, w, ch, length(h), length(w), conv.filters, 0, 0};
      s.pool_h = conv.pool ? s.out_h / 2 : s.out_h;
      s.pool_w = conv.pool ? s.out_w / 2 : s.out_w;
      shapes.push_back(s);
      h = s.pool_h, w = s.pool_w, ch = conv.filters;
    }
    return shapes;
  }
  Index parameters() const {
    Index n = 0;
    for (const ConvShape& s : conv_shapes()) n += s.parameters();
    for (std::size_t i = 1; i < widths.size(); ++i) n += (widths[i - 1] + 1) * widths[i];
    return n;
  }
};

inline const std::vector<Config>& configs() {
  static const std::vector<Config> all = {
      {"B1", "small-classifier", {30, 16, 8, 1}, "sgd", 32, 32768},
      {"B2", "mnist-mlp", {784, 256, 128, 10}, "momentum", 128, 16384},
      {"B3", "wide", {512, 1024, 1024, 10}, "adam", 256, 8192},
      {"B4", "per-sample", {784, 256, 128, 10}, "momentum", 1, 2048},
      {"B5", "inference", {784, 256, 128, 10}, "momentum", 1024, 16384, true},
      // keras.io's MNIST convnet on 28 x 28 x 1: conv 32, pool, conv 64, pool, Flatten (5 x 5 x 64), Dropout 0.5,
      // softmax 10.
      {"B6", "mnist-convnet", {1600, 10}, "adam", 128, 2048, false, {28, 28, 1}, {{32, true}, {64, true}}, 0.5},
      // A wider convnet on 32 x 32 x 3 (CIFAR's shape): conv 32, conv 32, pool, conv 64, conv 64, pool, Flatten
      // (5 x 5 x 64), relu 128, softmax 10.
      {"B7", "cifar-convnet", {1600, 128, 10}, "momentum", 64, 1024, false, {32, 32, 3},
       {{32, false}, {32, true}, {64, false}, {64, true}}},
      // A MobileNet-style net on the same images, one of each newer convolution, all "same": separable 32 (32 x 32),
      // depthwise stride 2 (16 x 16), pointwise conv 64, transposed 32 stride 2 (32 x 32), pool, separable 64, pool,
      // Flatten (8 x 8 x 64), softmax 10.
      {"B8", "separable-convnet", {4096, 10}, "adam", 64, 1024, false, {32, 32, 3},
       {{.filters = 32, .kind = ConvKind::separable, .same = true},
        {.filters = 32, .kind = ConvKind::depthwise, .strides = 2, .same = true},
        {.filters = 64, .kind = ConvKind::conv2d, .kernel = 1},
        {.filters = 32, .pool = true, .kind = ConvKind::transpose, .strides = 2, .same = true},
        {.filters = 64, .pool = true, .kind = ConvKind::separable, .same = true}}},
  };
  return all;
}

/// The configuration named `name` ("B1".."B8"); throws listing the names otherwise.
const Config& config(const std::string& name);

/// Gaussian features (a convnet's pixels, channels last) from a fixed seed, labels from a random linear rule of all
/// of a sample's values (one-hot for several outputs).
descent::Dataset make_data(const Config& c);

}  // namespace bench
