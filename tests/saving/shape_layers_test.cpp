// A Sequential of every reshaping, activation, preprocessing and spatial-dropout layer: Keras's summary shapes and
// names, training, save and load (config, weights, predictions), and training resumed from the file bit for bit.
#include "support/matrices.hpp"
#include "support/temp_dir.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>

using namespace descent;

namespace {

constexpr bool kFloatBuild = std::is_same_v<Scalar, float>;

nn::Sequential shapes_model() {
  nn::Sequential model({.seed = 4});
  model.add(nn::Input({6, 6, 2}));
  model.add(nn::Rescaling(0.5, {.offset = 0.1}));
  model.add(nn::ZeroPadding2D({.padding = {{1, 0}, {0, 1}}}));  // (7, 7, 2)
  model.add(nn::Cropping2D({.cropping = {{0, 1}, {1, 0}}}));     // (6, 6, 2)
  model.add(nn::UpSampling2D({.size = {1, 2}}));                  // (6, 12, 2)
  model.add(nn::PReLU({.shared_axes = {1, 2}, .alpha_initializer = nn::Constant(0.2)}));
  model.add(nn::SpatialDropout2D(0.25));
  model.add(nn::Reshape({12, -1}));                // (12, 12)
  model.add(nn::ZeroPadding1D());                  // (14, 12)
  model.add(nn::Cropping1D({.cropping = {2, 0}}));  // (12, 12)
  model.add(nn::UpSampling1D());                   // (24, 12)
  model.add(nn::SpatialDropout1D(0.1));
  model.add(nn::LeakyReLU({.negative_slope = 0.1}));
  model.add(nn::Flatten());  // (288,)
  model.add(nn::Dense(8));
  model.add(nn::ELU({.alpha = 0.5}));
  model.add(nn::ReLU({.max_value = 6, .negative_slope = 0.01}));
  model.add(nn::Dense(3));
  model.add(nn::Softmax());
  model.compile("categorical_crossentropy", optim::Adam({.learning_rate = 0.01}));
  return model;
}

Dataset images(Index n) {
  Dataset d{testing::uniform_matrix(n, 72, 5, 0, 2), Matrix::Zero(n, 3)};
  for (Index i = 0; i < n; ++i) d.y(i, i % 3) = 1;
  return d;
}

}  // namespace

TEST_CASE("The shape layers in one Sequential: Keras's names, output shapes and parameter counts") {
  nn::Sequential model = shapes_model();
  const std::string s = model.summary_text();
  for (const char* row : {"rescaling (Rescaling)", "zero_padding2d (ZeroPadding2D)", "cropping2d (Cropping2D)",
                          "up_sampling2d (UpSampling2D)", "p_re_lu (PReLU)", "spatial_dropout2d (SpatialDropout2D)",
                          "reshape (Reshape)", "zero_padding1d (ZeroPadding1D)", "cropping1d (Cropping1D)",
                          "up_sampling1d (UpSampling1D)", "spatial_dropout1d (SpatialDropout1D)",
                          "leaky_re_lu (LeakyReLU)", "flatten (Flatten)", "elu (ELU)", "re_lu (ReLU)",
                          "softmax (Softmax)", "(None, 7, 7, 2)", "(None, 6, 6, 2)", "(None, 6, 12, 2)",
                          "(None, 12, 12)", "(None, 14, 12)", "(None, 24, 12)", "(None, 288)", "(None, 3)"}) {
    CAPTURE(row);
    CHECK(s.find(row) != std::string::npos);
  }
  // PReLU: one alpha per channel (2); Dense 288 * 8 + 8 and 8 * 3 + 3.
  CHECK(model.count_params() == 2 + 2312 + 27);
  CHECK(model.output_shape() == Shape{3});
}

TEST_CASE("The shape layers train, save and load back: the same config, weights and predictions") {
  testing::TempDir tmp("shapes");
  const Dataset d = images(24);
  nn::Sequential model = shapes_model();
  const nn::History h = model.fit(d.x, d.y, {.epochs = 3, .batch_size = 8, .verbose = 0});
  CHECK(h["loss"].back() < h["loss"].front());
  model.save(tmp / "m");
  nn::Sequential loaded = nn::load_model(tmp / "m");
  CHECK(loaded.to_json() == model.to_json());
  CHECK(loaded.summary_text() == model.summary_text());
  // weights.bin holds float32: exact in the float build, float32 rounding in the double build.
  const auto a = model.get_weights(), b = loaded.get_weights();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(testing::close(a[i], b[i], 1e-6));
  CHECK(testing::close(model.predict(d.x), loaded.predict(d.x), 1e-5));
}

TEST_CASE("Training resumed from a file continues bit for bit through the spatial dropouts" *
          doctest::skip(!kFloatBuild)) {
  testing::TempDir tmp("shapes");
  const Dataset d = images(24);
  nn::FitOptions options{.epochs = 4, .batch_size = 8, .verbose = 0};
  nn::Sequential straight = shapes_model();
  const nn::History full = straight.fit(d.x, d.y, options);
  nn::Sequential first = shapes_model();
  options.epochs = 2;
  first.fit(d.x, d.y, options);
  first.save(tmp / "half");
  nn::Sequential resumed = nn::load_model(tmp / "half");
  options.epochs = 4;
  options.initial_epoch = 2;
  const nn::History rest = resumed.fit(d.x, d.y, options);
  for (int e = 0; e < 2; ++e) CHECK(rest["loss"][e] == full["loss"][e + 2]);
  const auto a = straight.get_weights(), b = resumed.get_weights();
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == b[i]);
}
