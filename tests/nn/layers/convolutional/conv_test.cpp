// Conv1D and Conv2D: hand-derived outputs, gradient checks for every option that changes the arithmetic, chunked
// im2col against a direct convolution, configs and errors. tfjs_layers_test.cpp matches them against TF.js.
#include "support/matrices.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace descent;
using descent::testing::check_layer_gradients;
using descent::testing::kTolerance;
using descent::testing::row;
using descent::testing::uniform_matrix;

namespace {

// A 3 x 3 image of one channel holding 1..9 row by row, and a 2 x 2 kernel [[1, 2], [3, 4]] with bias 0.5.
nn::Conv2D hand_conv(nn::ConvOptions options) {
  nn::Conv2D conv(1, 2, std::move(options));
  Rng rng(0);
  conv.build({3, 3, 1}, rng);
  conv.kernel().value << 1, 2, 3, 4;  // (kh, kw, in) rows, one filter column
  if (conv.options().use_bias) conv.bias().value << 0.5;
  return conv;
}

}  // namespace

TEST_CASE("Conv2D valid: each output is the window's dot product with the kernel, plus the bias") {
  nn::Conv2D conv = hand_conv({});
  CHECK(conv.compute_output_shape({3, 3, 1}) == Shape{2, 2, 1});
  // y[0,0] = 1*1 + 2*2 + 3*4 + 4*5 = 37; y[0,1] = 2 + 6 + 15 + 24 = 47; y[1,0] = 4 + 10 + 21 + 32 = 67; y[1,1] = 77.
  const Matrix& y = conv.forward(row({1, 2, 3, 4, 5, 6, 7, 8, 9}), false);
  CHECK(y == row({37.5, 47.5, 67.5, 77.5}));
}

TEST_CASE("Conv2D same with stride 2 pads after, as TensorFlow: output ceil(3 / 2) = 2, one zero row and column") {
  nn::Conv2D conv = hand_conv({.strides = 2, .padding = "same", .use_bias = false});
  CHECK(conv.compute_output_shape({3, 3, 1}) == Shape{2, 2, 1});
  // Windows start at 0 and 2; the one at 2 reaches the zero at index 3.
  // y[0,1] = 1*3 + 3*6 = 21; y[1,0] = 1*7 + 2*8 = 23; y[1,1] = 1*9 = 9.
  CHECK(conv.forward(row({1, 2, 3, 4, 5, 6, 7, 8, 9}), false) == row({37, 21, 23, 9}));
}

TEST_CASE("Conv2D groups: each group of channels meets only its own filters") {
  nn::Conv2D conv(2, 1, {.groups = 2, .use_bias = false});
  Rng rng(0);
  conv.build({1, 2, 2}, rng);
  CHECK(conv.kernel().shape == Shape{1, 1, 1, 2});  // (kh, kw, in / groups, filters)
  conv.kernel().value << 10, 100;
  // Two pixels of channels (1, 2) and (3, 4): filter 0 sees channel 0 only, filter 1 channel 1.
  CHECK(conv.forward(row({1, 2, 3, 4}), false) == row({10, 200, 30, 400}));
}

TEST_CASE("Conv1D causal: output t sees inputs up to t; dilation spreads the taps") {
  for (auto [dilation, expected] : {std::pair{1, row({10, 21, 32, 43})}, std::pair{2, row({10, 20, 31, 42})}}) {
    nn::Conv1D conv(1, 2, {.padding = "causal", .dilation_rate = dilation, .use_bias = false});
    Rng rng(0);
    conv.build({4, 1}, rng);
    conv.kernel().value << 1, 10;  // y[t] = x[t - dilation] + 10 x[t]
    CHECK(conv.compute_output_shape({4, 1}) == Shape{4, 1});
    CHECK(conv.forward(row({1, 2, 3, 4}), false) == expected);
  }
}

TEST_CASE("Conv2D and Conv1D gradients match central differences for every option that changes the arithmetic") {
  struct Case {
    const char* name;
    std::size_t rank;
    Shape input;
    Index filters;
    nn::Tuple kernel;
    nn::ConvOptions options;
  };
  const Case cases[] = {
      {"valid 3x3", 2, {5, 4, 2}, 3, 3, {}},
      {"same, stride 2, odd sizes", 2, {5, 7, 2}, 2, 3, {.strides = 2, .padding = "same"}},
      {"same, even kernel", 2, {4, 5, 1}, 2, {2, 4}, {.padding = "same"}},
      {"strides (2, 1) valid", 2, {6, 5, 2}, 2, {3, 2}, {.strides = {2, 1}}},
      {"dilation 2 same", 2, {6, 6, 2}, 2, 3, {.padding = "same", .dilation_rate = 2}},
      {"groups 2", 2, {4, 4, 4}, 4, 2, {.groups = 2}},
      {"pointwise 1x1", 2, {3, 4, 3}, 2, 1, {}},
      {"relu, no bias", 2, {4, 4, 2}, 3, 3, {.activation = "relu", .use_bias = false}},
      {"softmax over each position's filters", 2, {4, 4, 2}, 3, 2, {.activation = "softmax"}},
      {"1D valid", 1, {7, 3}, 2, 3, {}},
      {"1D same stride 2", 1, {7, 2}, 3, 4, {.strides = 2, .padding = "same"}},
      {"1D causal dilation 2", 1, {8, 2}, 2, 3, {.padding = "causal", .dilation_rate = 2}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    std::unique_ptr<nn::BaseConv> conv;
    if (c.rank == 1) conv = std::make_unique<nn::Conv1D>(c.filters, c.kernel, c.options);
    else conv = std::make_unique<nn::Conv2D>(c.filters, c.kernel, c.options);
    Rng rng(3);
    conv->build(c.input, rng);
    if (c.options.use_bias) conv->bias().value.setRandom();
    CHECK(check_layer_gradients(*conv, uniform_matrix(3, c.input.size(), 7, -1, 1)) < kTolerance);
  }
}

namespace {

// y[n, oy, ox, f] = b[f] + sum over ky, kx, c of x[n, oy + ky, ox + kx, c] W[ky, kx, c, f]: valid, stride 1, written
// out directly, with its two gradients, to check the im2col path where it runs in more than one chunk.
struct DirectConv {
  Index h, w, c, k, f;
  Index oh() const { return h - k + 1; }
  Index ow() const { return w - k + 1; }
  double x_at(const Matrix& x, Index n, Index i, Index j, Index ch) const { return x(n, (i * w + j) * c + ch); }
  double w_at(const Matrix& kernel, Index ky, Index kx, Index ch, Index fi) const {
    return kernel((ky * k + kx) * c + ch, fi);
  }
};

}  // namespace

TEST_CASE("Conv2D in several im2col chunks equals the direct convolution, forward and backward") {
  // 26 x 26 positions x 3 x 3 x 48 values = 292,032 im2col values per sample, more than the budget: three samples
  // run in three chunks.
  const DirectConv d{28, 28, 48, 3, 2};
  nn::Conv2D conv(d.f, d.k, {.use_bias = false});
  Rng rng(5);
  conv.build({d.h, d.w, d.c}, rng);
  REQUIRE(d.oh() * d.ow() * d.k * d.k * d.c > nn::BaseConv::kColsBudget);
  const Matrix x = uniform_matrix(3, d.h * d.w * d.c, 11, -1, 1);
  const Matrix dy = uniform_matrix(3, d.oh() * d.ow() * d.f, 12, -1, 1);
  conv.set_input_gradient_needed(true);
  const Matrix y = conv.forward(x, true);
  const Matrix dx = conv.backward(dy);
  const Matrix& kernel = conv.kernel().value;
  Matrix dw = Matrix::Zero(kernel.rows(), kernel.cols());
  Matrix dx_direct = Matrix::Zero(x.rows(), x.cols());
  double worst_y = 0;
  for (Index n = 0; n < 3; ++n)
    for (Index i = 0; i < d.oh(); ++i)
      for (Index j = 0; j < d.ow(); ++j)
        for (Index f = 0; f < d.f; ++f) {
          double sum = 0;
          const double g = dy(n, (i * d.ow() + j) * d.f + f);
          for (Index ky = 0; ky < d.k; ++ky)
            for (Index kx = 0; kx < d.k; ++kx)
              for (Index ch = 0; ch < d.c; ++ch) {
                sum += d.x_at(x, n, i + ky, j + kx, ch) * d.w_at(kernel, ky, kx, ch, f);
                dw((ky * d.k + kx) * d.c + ch, f) += static_cast<Scalar>(g * d.x_at(x, n, i + ky, j + kx, ch));
                dx_direct(n, ((i + ky) * d.w + j + kx) * d.c + ch) +=
                    static_cast<Scalar>(g * d.w_at(kernel, ky, kx, ch, f));
              }
          worst_y = std::max(worst_y, std::abs(sum - y(n, (i * d.ow() + j) * d.f + f)));
        }
  CHECK(worst_y < 1e-4);
  CHECK(testing::relative_error(dx, dx_direct) < 1e-5);
  CHECK(testing::relative_error(conv.kernel().grad, dw) < 1e-5);
}

TEST_CASE("Conv2D config round trip writes Keras's keys, tuples as lists") {
  nn::Conv2D conv(8, {3, 5}, {.strides = {2, 1}, .padding = "same", .dilation_rate = 1, .activation = "relu",
                              .name = "c"});
  const json config = nn::layer_to_json(conv);
  CHECK(config["class_name"] == "Conv2D");
  CHECK(config["config"]["kernel_size"] == json::array({3, 5}));
  CHECK(config["config"]["strides"] == json::array({2, 1}));
  CHECK(config["config"]["padding"] == "same");
  CHECK(config["config"]["data_format"] == "channels_last");
  CHECK(config["config"]["groups"] == 1);
  auto again = nn::layer_from_json(config, "conv");
  CHECK(nn::layer_to_json(*again) == config);
  // Keras 2 wrote Convolution2D sometimes, and TF.js a bare integer for a square kernel.
  auto alias = nn::layer_from_json(
      json::parse(R"({"class_name": "Convolution2D", "config": {"filters": 4, "kernel_size": 3}})"), "old");
  CHECK(alias->class_name() == "Conv2D");
  Rng rng(0);
  alias->build({5, 5, 2}, rng);
  CHECK(alias->weights()[0]->shape == Shape{3, 3, 2, 4});
}

TEST_CASE("Conv2D errors name the layer and the values") {
  using doctest::Contains;
  Rng rng(0);
  nn::Conv2D big(2, 5, {.name = "big"});
  CHECK_THROWS_WITH_AS(big.build({4, 6, 1}, rng),
                       Contains("Conv2D 'big': a window of 5 along axis 1 is larger than the input's 4 with "
                                "padding=\"valid\""),
                       Error);
  CHECK_THROWS_WITH_AS(nn::Conv2D(2, 3, {.strides = 0}), Contains("strides: expected values of at least 1; received 0"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::Conv2D(2, {3, 3, 3}), Contains("kernel_size: expected an integer or 2 integers"), Error);
  CHECK_THROWS_WITH_AS(nn::Conv2D(2, 3, {.padding = "causal"}), Contains("\"valid\" or \"same\""), Error);
  CHECK_THROWS_WITH_AS(nn::Conv2D(3, 3, {.groups = 2}), Contains("groups=2 must be positive and divide filters=3"),
                       Error);
  nn::Conv2D grouped(4, 1, {.groups = 2, .name = "g"});
  CHECK_THROWS_WITH_AS(grouped.build({3, 3, 3}, rng), Contains("groups=2 must divide the input's 3 channels"), Error);
  nn::Conv2D flat(2, 3, {.name = "flat"});
  CHECK_THROWS_WITH_AS(flat.build(Shape(784), rng),
                       Contains("Conv2D 'flat': expected samples of shape (height, width, channels); received "
                                "samples of shape (784,)"),
                       Error);
  nn::Conv2D ok(2, 3, {.name = "ok"});
  ok.build({28, 28, 1}, rng);
  CHECK_THROWS_WITH_AS(ok.forward(Matrix::Zero(2, 783), false),
                       Contains("expected input with 784 columns; received x with 783 columns (x is 2 x 783; samples "
                                "of shape (28, 28, 1))"),
                       Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "Conv2D", "config": {"filters": 4, "kernel_size": 3,
                                          "data_format": "channels_first"}})"),
                          "model.layers[0]"),
      Contains("model.layers[0].config.data_format: Conv2D: data_format=\"channels_first\" is not supported"), Error);
}

TEST_CASE("keras.io's MNIST convnet: Keras's layer names, output shapes and parameter counts") {
  nn::Sequential model({.seed = 1});
  model.add(nn::Input({28, 28, 1}));
  model.add(nn::Conv2D(32, {3, 3}, {.activation = "relu"}));
  model.add(nn::MaxPooling2D({2, 2}));
  model.add(nn::Conv2D(64, {3, 3}, {.activation = "relu"}));
  model.add(nn::MaxPooling2D({2, 2}));
  model.add(nn::GlobalAveragePooling2D({.keepdims = true}));
  const std::string summary = model.summary_text();
  // Keras's summary of the same layers (keras.io, "Simple MNIST convnet"): 320 and 18,496 parameters.
  for (const char* line : {"conv2d (Conv2D)", "(None, 26, 26, 32)", "320", "max_pooling2d (MaxPooling2D)",
                           "(None, 13, 13, 32)", "conv2d_1 (Conv2D)", "(None, 11, 11, 64)", "18,496",
                           "max_pooling2d_1 (MaxPooling2D)", "(None, 5, 5, 64)",
                           "global_average_pooling2d (GlobalAveragePooling2D)", "(None, 1, 1, 64)",
                           "Total params: 18,816"}) {
    INFO(line);
    CHECK(summary.find(line) != std::string::npos);
  }
}
