// DepthwiseConv2D, SeparableConv2D, Conv1DTranspose and Conv2DTranspose: hand-derived outputs, gradient checks for
// every option that changes the arithmetic, chunking, configs and errors. tfjs_layers_test.cpp matches them against
// TF.js (without output_padding, which TF.js's layers lack).
#include "support/matrices.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace descent;
using descent::testing::check_layer_gradients;
using descent::testing::kTolerance;
using descent::testing::row;
using descent::testing::uniform_matrix;

TEST_CASE("DepthwiseConv2D: output channel c * depth_multiplier + m is channel c times its own filter m") {
  nn::DepthwiseConv2D conv(1, {.depth_multiplier = 2, .use_bias = false});
  Rng rng(0);
  conv.build({1, 2, 2}, rng);
  CHECK(conv.kernel().shape == Shape{1, 1, 2, 2});  // (kh, kw, channels, depth_multiplier)
  CHECK(conv.kernel().name == "depthwise_kernel");
  CHECK(conv.compute_output_shape({1, 2, 2}) == Shape{1, 2, 4});
  conv.kernel().value << 10, 100, 1000, 10000;  // channel 0: filters 10, 100; channel 1: 1000, 10000
  // Two pixels of channels (1, 2) and (3, 4).
  CHECK(conv.forward(row({1, 2, 3, 4}), false) == row({10, 100, 2000, 20000, 30, 300, 4000, 40000}));
}

TEST_CASE("DepthwiseConv2D with a 2 x 2 window: each channel meets only its own taps") {
  nn::DepthwiseConv2D conv(2, {.strides = 2, .padding = "same"});
  Rng rng(0);
  conv.build({3, 3, 2}, rng);
  // Channel 0 holds 1..9, channel 1 ten times that; kernel taps (1, 2, 3, 4) for channel 0, (0, 0, 0, 1) for 1.
  conv.kernel().value << 1, 0, 2, 0, 3, 0, 4, 1;
  conv.bias().value << 0.5, -1;
  Matrix x(1, 18);
  for (Index i = 0; i < 9; ++i) {
    x(0, 2 * i) = static_cast<Scalar>(i + 1);
    x(0, 2 * i + 1) = static_cast<Scalar>(10 * (i + 1));
  }
  // "same", stride 2 over 3: windows at 0 and 2, the second reaching the zero after the edge. Channel 0 (Conv2D's
  // hand case): 37, 21, 23, 9. Channel 1 takes only the window's bottom-right value: x[1, 1] = 50, then padding.
  CHECK(conv.forward(x, false) == row({37.5, 49, 21.5, -1, 23.5, -1, 9.5, -1}));
}

TEST_CASE("SeparableConv2D is the depthwise convolution followed by a 1 x 1 convolution with the bias") {
  nn::SeparableConv2D conv(1, 1, {.depth_multiplier = 2});
  Rng rng(0);
  conv.build({1, 1, 2}, rng);
  auto params = conv.params();
  REQUIRE(params.size() == 3);
  CHECK(params[0]->name == "depthwise_kernel");
  CHECK(params[0]->shape == Shape{1, 1, 2, 2});
  CHECK(params[1]->name == "pointwise_kernel");
  CHECK(params[1]->shape == Shape{1, 1, 4, 1});
  CHECK(params[2]->name == "bias");
  params[0]->value << 1, 2, 3, 4;
  params[1]->value << 1, 10, 100, 1000;
  params[2]->value << 0.5;
  // depthwise(x = (1, 2)) = (1, 2, 6, 8); pointwise = 1 + 20 + 600 + 8000 = 8621, plus 0.5.
  CHECK(conv.forward(row({1, 2}), false) == row({8621.5}));
}

TEST_CASE("Conv1DTranspose spreads each input over its window; padding and output_padding crop as TensorFlow") {
  // x = (1, 2), kernel taps (1, 10, 100), stride 2: the full output is
  // (1, 10, 100 + 2, 20, 200) (input 0 at 0..2, input 1 at 2..4). Keras's length and TF's crop, which puts the
  // smaller half of the cropping first:
  struct Case {
    const char* padding;
    std::optional<nn::Tuple> output_padding;
    Matrix expected;
  };
  const Case cases[] = {
      {"valid", std::nullopt, row({1, 10, 102, 20, 200})},   // 2 * 2 + max(3 - 2, 0) = 5, no crop
      {"valid", nn::Tuple(1), row({1, 10, 102, 20, 200, 0})},  // (2 - 1) * 2 + 3 + 1 = 6: a zero after
      {"same", std::nullopt, row({1, 10, 102, 20})},        // 2 * 2 = 4: one cropped, at the end
      {"same", nn::Tuple(1), row({1, 10, 102, 20})},        // (2 - 1) * 2 + 3 - 2 + 1 = 4
      {"same", nn::Tuple(0), row({10, 102, 20})},           // (2 - 1) * 2 + 3 - 2 = 3: one cropped each side
  };
  for (const Case& c : cases) {
    CAPTURE(c.padding);
    CAPTURE(c.expected.cols());
    nn::Conv1DTranspose conv(1, 3, {.strides = 2, .padding = c.padding, .output_padding = c.output_padding,
                                    .use_bias = false});
    Rng rng(0);
    conv.build({2, 1}, rng);
    CHECK(conv.kernel().shape == Shape{3, 1, 1});  // (k, filters, channels)
    conv.kernel().value << 1, 10, 100;
    CHECK(conv.compute_output_shape({2, 1}) == Shape{c.expected.cols(), 1});
    CHECK(conv.forward(row({1, 2}), false) == c.expected);
  }
}

TEST_CASE("Conv2DTranspose kernel is (kh, kw, filters, channels): filter f of output gets channel c through W[.., f, c]") {
  nn::Conv2DTranspose conv(2, 1, {.use_bias = false});
  Rng rng(0);
  conv.build({1, 1, 3}, rng);
  CHECK(conv.kernel().shape == Shape{1, 1, 2, 3});
  conv.kernel().value << 1, 10, 100, 2, 20, 200;  // filter 0 row, filter 1 row
  CHECK(conv.forward(row({1, 2, 3}), false) == row({321, 642}));
}

TEST_CASE("Depthwise, separable and transposed convolutions' gradients match central differences") {
  struct Case {
    const char* name;
    Shape input;
    std::function<std::unique_ptr<nn::Layer>()> make;
  };
  const Case cases[] = {
      {"depthwise m1 same stride 2 odd", {5, 7, 2}, [] {
         return std::make_unique<nn::DepthwiseConv2D>(3, nn::DepthwiseConv2DOptions{.strides = 2, .padding = "same"});
       }},
      {"depthwise m2 valid dilation 2", {6, 5, 3}, [] {
         return std::make_unique<nn::DepthwiseConv2D>(
             2, nn::DepthwiseConv2DOptions{.depth_multiplier = 2, .dilation_rate = 2});
       }},
      {"depthwise m3 tanh no bias", {4, 4, 1}, [] {
         return std::make_unique<nn::DepthwiseConv2D>(
             nn::Tuple{2, 3}, nn::DepthwiseConv2DOptions{.depth_multiplier = 3, .activation = "tanh",
                                                         .use_bias = false});
       }},
      {"separable same", {5, 5, 3}, [] {
         return std::make_unique<nn::SeparableConv2D>(4, 3, nn::SeparableConv2DOptions{.padding = "same"});
       }},
      {"separable m2 strides (2, 1), tanh", {7, 6, 2}, [] {
         return std::make_unique<nn::SeparableConv2D>(
             3, 2, nn::SeparableConv2DOptions{.strides = {2, 1}, .depth_multiplier = 2, .activation = "tanh"});
       }},
      {"transpose 2D valid stride 1", {3, 4, 2}, [] {
         return std::make_unique<nn::Conv2DTranspose>(3, 3, nn::ConvOptions{});
       }},
      {"transpose 2D same stride 2 odd", {3, 5, 2}, [] {
         return std::make_unique<nn::Conv2DTranspose>(2, 3, nn::ConvOptions{.strides = 2, .padding = "same"});
       }},
      {"transpose 2D valid stride 2 output_padding 1", {3, 2, 2}, [] {
         return std::make_unique<nn::Conv2DTranspose>(
             2, 3, nn::ConvOptions{.strides = 2, .output_padding = nn::Tuple(1)});
       }},
      {"transpose 2D same strides (2, 3), kernel (2, 3), output_padding (1, 0)", {3, 3, 2}, [] {
         return std::make_unique<nn::Conv2DTranspose>(
             2, nn::Tuple{2, 3},
             nn::ConvOptions{.strides = {2, 3}, .padding = "same", .output_padding = nn::Tuple{1, 0}});
       }},
      {"transpose 2D dilation 2 tanh no bias", {3, 3, 1}, [] {
         return std::make_unique<nn::Conv2DTranspose>(
             2, 2, nn::ConvOptions{.dilation_rate = 2, .activation = "tanh", .use_bias = false});
       }},
      {"transpose 1D same stride 3 output_padding 2", {4, 2}, [] {
         return std::make_unique<nn::Conv1DTranspose>(
             2, 4, nn::ConvOptions{.strides = 3, .padding = "same", .output_padding = nn::Tuple(2)});
       }},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto layer = c.make();
    Rng rng(3);
    layer->build(c.input, rng);
    for (Param* p : layer->params())
      if (p->name == "bias") p->value = uniform_matrix(1, p->value.cols(), 9, -1, 1);
    CHECK(check_layer_gradients(*layer, uniform_matrix(3, c.input.size(), 7, -1, 1)) < kTolerance);
  }
}

TEST_CASE("Conv2DTranspose in several chunks gives each sample what it gets alone, and sums dW over them") {
  // 16 x 16 inputs x 3 x 3 taps x 128 filters = 294,912 values per sample, more than the budget: a sample a chunk.
  nn::Conv2DTranspose conv(128, 3, {.strides = 2, .padding = "same"});
  Rng rng(5);
  conv.build({16, 16, 1}, rng);
  REQUIRE(16 * 16 * 9 * 128 > nn::BaseConv::kColsBudget);
  conv.set_input_gradient_needed(true);
  const Matrix x = uniform_matrix(2, 16 * 16, 11, -1, 1);
  const Matrix dy = uniform_matrix(2, 32 * 32 * 128, 12, -1, 1);
  const Matrix y = conv.forward(x, true);
  const Matrix dx = conv.backward(dy);
  const Matrix dw = conv.kernel().grad;
  Matrix dw_sum = Matrix::Zero(dw.rows(), dw.cols());
  for (Index n = 0; n < 2; ++n) {
    const Matrix xn = x.row(n);
    CHECK(testing::close(conv.forward(xn, true), y.row(n)));
    CHECK(testing::close(conv.backward(dy.row(n)), dx.row(n)));
    dw_sum += conv.kernel().grad;
  }
  CHECK(testing::close(dw, dw_sum, 1e-4));
}

TEST_CASE("Depthwise, separable and transposed configs round trip with Keras's keys") {
  const nn::DepthwiseConv2D depthwise(3, {.depth_multiplier = 2, .depthwise_initializer = "he_normal", .name = "d"});
  const nn::SeparableConv2D separable(8, 3, {.depth_multiplier = 2, .activation = "relu",
                                             .pointwise_initializer = "zeros", .name = "s"});
  const nn::Conv2DTranspose transpose(4, 3, {.strides = 2, .padding = "same", .output_padding = nn::Tuple(1),
                                             .name = "t"});
  for (const nn::Layer* layer : {static_cast<const nn::Layer*>(&depthwise), static_cast<const nn::Layer*>(&separable),
                                 static_cast<const nn::Layer*>(&transpose)}) {
    const json config = nn::layer_to_json(*layer);
    CAPTURE(config.dump());
    CHECK(nn::layer_to_json(*nn::layer_from_json(config, "layer")) == config);
  }
  const json d = nn::layer_to_json(depthwise)["config"];
  CHECK(d["depth_multiplier"] == 2);
  CHECK(d["depthwise_initializer"]["class_name"] == "HeNormal");
  CHECK(!d.contains("filters"));
  CHECK(!d.contains("kernel_initializer"));
  CHECK(!d.contains("groups"));
  const json s = nn::layer_to_json(separable)["config"];
  for (const char* key : {"filters", "depth_multiplier", "depthwise_initializer", "pointwise_initializer",
                          "depthwise_regularizer", "pointwise_regularizer", "depthwise_constraint",
                          "pointwise_constraint", "bias_initializer", "activity_regularizer"}) {
    CAPTURE(key);
    CHECK(s.contains(key));
  }
  CHECK(s["pointwise_initializer"]["class_name"] == "Zeros");
  CHECK(s["activation"] == "relu");
  CHECK(!s.contains("kernel_initializer"));
  const json t = nn::layer_to_json(transpose)["config"];
  CHECK(t["output_padding"] == json::array({1, 1}));
  CHECK(!t.contains("groups"));
  // Keras writes output_padding null when unset.
  CHECK(nn::layer_to_json(nn::Conv2DTranspose(4, 3))["config"]["output_padding"].is_null());
}

TEST_CASE("Depthwise, separable and transposed convolutions' errors name the layer and the values") {
  using doctest::Contains;
  Rng rng(0);
  CHECK_THROWS_WITH_AS(nn::DepthwiseConv2D(3, {.depth_multiplier = 0}), Contains("depth_multiplier=0 must be positive"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::Conv2D(2, 3, {.output_padding = nn::Tuple(1)}),
                       Contains("output_padding is an option of the transposed convolutions"), Error);
  CHECK_THROWS_WITH_AS(nn::Conv2DTranspose(2, 3, {.strides = 2, .output_padding = nn::Tuple(2)}),
                       Contains("output_padding=2 along axis 1 must be less than the stride, 2"), Error);
  CHECK_THROWS_WITH_AS(nn::Conv2DTranspose(2, 3, {.groups = 2}), Contains("a transposed convolution has no groups"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::Conv1DTranspose(2, 3, {.padding = "causal"}), Contains("\"valid\" or \"same\""), Error);
  // An even window with "same" padding and output_padding 0 comes back one short: TensorFlow refuses it too.
  nn::Conv2DTranspose even(2, 2, {.strides = 2, .padding = "same", .output_padding = nn::Tuple(0), .name = "even"});
  CHECK_THROWS_WITH_AS(even.build({3, 3, 1}, rng),
                       Contains("Conv2DTranspose 'even': no output shape maps back onto input shape (3, 3, 1)"), Error);
  nn::SeparableConv2D flat(2, 3, {.name = "flat"});
  CHECK_THROWS_WITH_AS(flat.build(Shape(784), rng), Contains("'flat': expected samples of shape (height, width, "
                                                             "channels)"),
                       Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "DepthwiseConv2D", "config": {"kernel_size": 3,
                                          "depth_multiplier": -1}})"),
                          "model.layers[2]"),
      Contains("model.layers[2].config.depth_multiplier: expected a positive integer; received -1"), Error);
  CHECK_THROWS_WITH_AS(
      nn::layer_from_json(json::parse(R"({"class_name": "DepthwiseConv2D", "config": {"kernel_size": 3,
                                          "kernel_initializer": "zeros"}})"),
                          "model.layers[2]"),
      Contains("kernel_initializer"), Error);
}

namespace {

// An encoder-decoder of every new convolution, on (side, side, 1) images.
nn::Sequential encoder_decoder(Index side) {
  nn::Sequential model({.seed = 1});
  model.add(nn::Input({side, side, 1}));
  model.add(nn::SeparableConv2D(16, 3, {.padding = "same", .activation = "relu"}));
  model.add(nn::DepthwiseConv2D(3, {.strides = 2, .padding = "same", .depth_multiplier = 2}));
  model.add(nn::Conv2DTranspose(1, 3, {.strides = 2, .padding = "same", .activation = "sigmoid"}));
  return model;
}

}  // namespace

TEST_CASE("A small encoder-decoder with every new convolution builds with Keras's shapes and parameter counts") {
  nn::Sequential model = encoder_decoder(28);
  const std::string summary = model.summary_text();
  // Parameters: 3*3*1 + 1*16 + 16 = 41; 3*3*16*2 + 32 = 320; 3*3*1*32 + 1 = 289.
  for (const char* line : {"separable_conv2d (SeparableConv2D)", "(None, 28, 28, 16)", "41",
                           "depthwise_conv2d (DepthwiseConv2D)", "(None, 14, 14, 32)", "320",
                           "conv2d_transpose (Conv2DTranspose)", "(None, 28, 28, 1)", "289", "Total params: 650"}) {
    INFO(line);
    CHECK(summary.find(line) != std::string::npos);
  }
}

TEST_CASE("The encoder-decoder learns to reproduce its input, and saves and loads as a TF.js layers-model") {
  // Images of one bright square each: the autoencoder's loss must fall well below its starting value.
  nn::Sequential model = encoder_decoder(8);
  Matrix x = Matrix::Zero(64, 64);
  for (Index n = 0; n < 64; ++n)
    for (Index i = 0; i < 3; ++i)
      for (Index j = 0; j < 3; ++j) x(n, (n % 6 + i) * 8 + (n / 6) % 6 + j) = 1;
  model.compile("binary_crossentropy", optim::Adam({.learning_rate = 0.01}));
  const auto history = model.fit(x, x, {.epochs = 30, .batch_size = 16, .verbose = 0});
  const auto& loss = history.history.at("loss");
  CHECK(loss.back() < 0.5 * loss.front());
  testing::TempDir tmp("conv-family");
  model.save(tmp / "model");
  nn::Sequential loaded = nn::load_model(tmp / "model");
  // TF.js files hold float32: exact in the float build, float32 rounding in the double one.
  CHECK(testing::close(loaded.predict(x), model.predict(x), 1e-6));
}
