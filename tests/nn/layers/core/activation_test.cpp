// Activation layer: forward equals the function, gradient checks for every activation, config, errors.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;

namespace {

// At least 0.15 from every kink (0, and +-3 for hard_sigmoid).
Matrix smooth_inputs() {
  Matrix x(4, 3);
  x << -2.3, -1.1, -0.45,  //
      0.35, 0.8, 1.7,      //
      2.6, -3.4, 3.7,      //
      -0.2, 0.15, 1.2;
  return x;
}

}  // namespace

TEST_CASE("Activation layer applies its function and keeps the width") {
  nn::Activation layer("sigmoid", {.name = "act"});
  Rng rng(0);
  layer.build(3, rng);
  CHECK(layer.input_dim() == 3);
  CHECK(layer.compute_output_shape(Shape{3}) == Shape{3});
  CHECK(layer.params().empty());
  Matrix x(1, 3);
  x << 0, 2, -1;
  const Matrix& y = layer.forward(x, false);
  CHECK(y(0, 0) == doctest::Approx(0.5));
  CHECK(y(0, 1) == doctest::Approx(0.8807970779778823));  // 1 / (1 + e^-2)
  CHECK(y(0, 2) == doctest::Approx(0.2689414213699951));  // 1 / (1 + e)
  CHECK(layer.final_activation() == "sigmoid");
  CHECK(&layer.logits() == &x);
}

TEST_CASE("Activation layer backward is f'(x) dy") {
  nn::Activation layer("tanh");
  Rng rng(0);
  layer.build(2, rng);
  Matrix x(1, 2), dy(1, 2);
  x << 0.5, -1;
  dy << 2, 3;
  layer.forward(x, true);
  Matrix dx = layer.backward(dy);
  CHECK(dx(0, 0) == doctest::Approx(2 * (1 - std::pow(std::tanh(0.5), 2))));
  CHECK(dx(0, 1) == doctest::Approx(3 * (1 - std::pow(std::tanh(-1.0), 2))));
}

TEST_CASE("Activation layer gradients match central differences for every activation") {
  for (const std::string& name : nn::activation_names()) {
    CAPTURE(name);
    nn::Activation layer(name);
    Rng rng(0);
    layer.build(3, rng);
    double error = testing::check_layer_gradients(layer, smooth_inputs());
    CAPTURE(error);
    CHECK(error < testing::kTolerance);
  }
}

TEST_CASE("Activation layer: linear is not a final activation; config; errors") {
  CHECK(nn::Activation("linear").final_activation().empty());
  nn::Activation layer("relu", {.name = "a1"});
  CHECK(layer.class_name() == "Activation");
  CHECK(layer.config() == nlohmann::json{{"name", "a1"}, {"activation", "relu"}});
  CHECK_THROWS_WITH_AS(nn::Activation("rleu"), doctest::Contains("Unknown activation \"rleu\""), Error);

  Rng rng(0);
  layer.build(3, rng);
  Matrix x = Matrix::Ones(2, 4);
  CHECK_THROWS_WITH_AS(layer.forward(x, false),
                       doctest::Contains("Activation 'a1': expected input with 3 columns; received x with 4 columns"),
                       Error);
  Matrix x3 = Matrix::Ones(2, 3);
  layer.forward(x3, true);
  CHECK_THROWS_WITH_AS(layer.backward(Matrix::Ones(2, 2)),
                       doctest::Contains("backward expected dy of 2 x 3; received 2 x 2"), Error);
}
