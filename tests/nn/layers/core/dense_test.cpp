// Dense: forward on hand-set weights, gradient checks, errors.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;

TEST_CASE("Dense forward computes x W + b with the (in, units) kernel") {
  nn::Dense dense(2, {.activation = "linear"});
  Rng rng(0);
  dense.build(3, rng);
  dense.kernel().value << 1, 2, 3, 4, 5, 6;  // rows = inputs
  dense.bias().value << 0.5, -1;
  Matrix x(1, 3);
  x << 1, 1, 2;
  const Matrix& y = dense.forward(x, false);
  CHECK(y(0, 0) == doctest::Approx(1 + 3 + 10 + 0.5));
  CHECK(y(0, 1) == doctest::Approx(2 + 4 + 12 - 1));
}

namespace {

Matrix sample_inputs(Index rows, Index cols, std::uint64_t seed) {
  Rng rng(seed);
  Matrix x(rows, cols);
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<Scalar>(2.0 * uniform01(rng) - 1.0);
  return x;
}

}  // namespace

TEST_CASE("Dense forward applies the activation after the bias") {
  nn::Dense dense(2, {.activation = "tanh"});
  Rng rng(0);
  dense.build(2, rng);
  dense.kernel().value << 0.5, -1, 0.25, 2;
  dense.bias().value << 0.1, 0.2;
  Matrix x(2, 2);
  x << 1, 2, -1, 0;
  const Matrix& y = dense.forward(x, false);
  // z = x W + b: row 0 = [0.5 + 0.5 + 0.1, -1 + 4 + 0.2] = [1.1, 3.2]; row 1 = [-0.5 + 0.1, 1 + 0.2] = [-0.4, 1.2].
  CHECK(y(0, 0) == doctest::Approx(std::tanh(1.1)));
  CHECK(y(0, 1) == doctest::Approx(std::tanh(3.2)));
  CHECK(y(1, 0) == doctest::Approx(std::tanh(-0.4)));
  CHECK(y(1, 1) == doctest::Approx(std::tanh(1.2)));
  CHECK(dense.logits()(0, 1) == doctest::Approx(3.2));
  CHECK(dense.final_activation() == "tanh");
}

TEST_CASE("Dense without bias has only a kernel") {
  nn::Dense dense(2, {.use_bias = false});
  Rng rng(0);
  dense.build(3, rng);
  CHECK(dense.params().size() == 1);
  CHECK(dense.params()[0]->name == "kernel");
  CHECK(dense.bias().value.size() == 0);
  dense.kernel().value << 1, 2, 3, 4, 5, 6;
  Matrix x(1, 3);
  x << 1, 1, 2;
  const Matrix& y = dense.forward(x, false);
  CHECK(y(0, 0) == doctest::Approx(1 + 3 + 10));
  CHECK(y(0, 1) == doctest::Approx(2 + 4 + 12));
  CHECK(dense.final_activation().empty());
  CHECK(dense.config()["use_bias"] == false);
}

TEST_CASE("Dense backward: dW = x^T dy, db = column sums of dy, dx = dy W^T (linear), not accumulated") {
  nn::Dense dense(2);
  Rng rng(0);
  dense.build(3, rng);
  dense.kernel().value << 1, 2, 3, 4, 5, 6;
  dense.bias().value << 0, 0;
  Matrix x(2, 3), dy(2, 2);
  x << 1, 0, 2, -1, 3, 1;
  dy << 1, -1, 0.5, 2;
  dense.forward(x, true);
  for (int repeat = 0; repeat < 2; ++repeat) {  // a second backward must overwrite the gradients, not add to them
    Matrix dx = dense.backward(dy);
    // dW[k][j] = sum_i x[i][k] dy[i][j]
    Matrix dw(3, 2);
    dw << 1 * 1 + -1 * 0.5, 1 * -1 + -1 * 2,  //
        0 * 1 + 3 * 0.5, 0 * -1 + 3 * 2,      //
        2 * 1 + 1 * 0.5, 2 * -1 + 1 * 2;
    CHECK(testing::relative_error(dense.kernel().grad, dw) < 1e-6);
    CHECK(dense.bias().grad(0, 0) == doctest::Approx(1.5));
    CHECK(dense.bias().grad(0, 1) == doctest::Approx(1.0));
    // dx[i][k] = sum_j dy[i][j] W[k][j]
    Matrix expected_dx(2, 3);
    expected_dx << 1 - 2, 3 - 4, 5 - 6,  //
        0.5 + 4, 1.5 + 8, 2.5 + 12;
    CHECK(testing::relative_error(dx, expected_dx) < 1e-6);
  }
}

TEST_CASE("Dense gradients match central differences, with and without bias") {
  // relu and leaky_relu write their output over z (in place), the others keep both.
  for (const char* activation : {"linear", "tanh", "sigmoid", "softmax", "softplus", "relu", "leaky_relu"}) {
    for (bool use_bias : {true, false}) {
      CAPTURE(activation);
      CAPTURE(use_bias);
      nn::Dense dense(4, {.activation = activation, .use_bias = use_bias, .bias_initializer = "random_uniform"});
      Rng rng(7);
      dense.build(3, rng);
      double error = testing::check_layer_gradients(dense, sample_inputs(5, 3, 11));
      CAPTURE(error);
      CHECK(error < testing::kTolerance);
    }
  }
}

TEST_CASE("Dense backward_from_logits skips the activation's derivative") {
  nn::Dense dense(3, {.activation = "softmax"});
  Rng rng(2);
  dense.build(2, rng);
  Matrix x = sample_inputs(4, 2, 5);
  dense.forward(x, true);
  Matrix dz = sample_inputs(4, 3, 6);
  Matrix dx = dense.backward_from_logits(dz);
  // The same dz through a linear Dense with the same weights gives the same gradients.
  nn::Dense linear(3);
  linear.build(2, rng);
  linear.kernel().value = dense.kernel().value;
  linear.bias().value = dense.bias().value;
  linear.forward(x, true);
  Matrix dx_linear = linear.backward(dz);
  CHECK(testing::relative_error(dx, dx_linear) < 1e-6);
  CHECK(testing::relative_error(dense.kernel().grad, linear.kernel().grad) < 1e-6);
}

TEST_CASE("Dense skips dx when the input gradient is not needed") {
  nn::Dense dense(2);
  Rng rng(0);
  dense.build(3, rng);
  dense.set_input_gradient_needed(false);
  Matrix x = sample_inputs(4, 3, 1);
  dense.forward(x, true);
  CHECK(dense.backward(Matrix::Ones(4, 2)).size() == 0);
  CHECK(dense.kernel().grad.isApprox(x.transpose() * Matrix::Ones(4, 2)));
}

TEST_CASE("Dense build uses the configured initializers") {
  nn::Dense dense(300);
  Rng rng(1);
  dense.build(200, rng);
  const double limit = std::sqrt(6.0 / 500);  // glorot_uniform
  CHECK(dense.kernel().value.cwiseAbs().maxCoeff() <= limit * (1 + 1e-6));
  CHECK(dense.kernel().value.cwiseAbs().maxCoeff() > 0.99 * limit);
  CHECK(dense.bias().value.isZero());
  CHECK(dense.bias().value.rows() == 1);
  CHECK(dense.bias().value.cols() == 300);
  CHECK(dense.bias().shape == Shape{300});
  CHECK(dense.kernel().shape == Shape{dense.kernel().value.rows(), 300});

  nn::Dense constant(2, {.kernel_initializer = nn::Constant(0.5), .bias_initializer = "ones"});
  constant.build(3, rng);
  CHECK((constant.kernel().value.array() == Scalar(0.5)).all());
  CHECK(constant.bias().value.isOnes());

  nn::Dense seeded_a(4, {.kernel_initializer = nn::HeNormal({.seed = 3})});
  nn::Dense seeded_b(4, {.kernel_initializer = nn::HeNormal({.seed = 3})});
  Rng r1(1), r2(2);
  seeded_a.build(5, r1);
  seeded_b.build(5, r2);
  CHECK(seeded_a.kernel().value == seeded_b.kernel().value);
}

TEST_CASE("Dense config carries Keras's keys") {
  nn::Dense dense(8, {.activation = "relu", .name = "hidden"});
  auto c = dense.config();
  CHECK(c["name"] == "hidden");
  CHECK(c["units"] == 8);
  CHECK(c["activation"] == "relu");
  CHECK(c["use_bias"] == true);
  CHECK(c["kernel_initializer"]["class_name"] == "GlorotUniform");
  CHECK(c["kernel_initializer"]["config"]["seed"].is_null());
  CHECK(c["bias_initializer"]["class_name"] == "Zeros");
  CHECK(nn::Dense(2, {.activation = ""}).config()["activation"] == "linear");
  CHECK(dense.class_name() == "Dense");
  CHECK(dense.compute_output_shape(Shape{17}) == Shape{8});
  CHECK(dense.compute_output_shape(Shape{5, 17}) == Shape({5, 8}));
}

TEST_CASE("Dense errors name the layer and the values") {
  CHECK_THROWS_WITH_AS(nn::Dense(0), doctest::Contains("Dense(units=0): expected a positive number of units"), Error);
  CHECK_THROWS_WITH_AS(nn::Dense(2, {.input_dim = -1}), doctest::Contains("received input_dim=-1"), Error);
  CHECK_THROWS_WITH_AS(nn::Dense(2, {.activation = "rleu"}), doctest::Contains("Unknown activation \"rleu\""), Error);
  CHECK_THROWS_WITH_AS(nn::Dense(2, {.kernel_initializer = "glorot"}), doctest::Contains("Unknown initializer"),
                       Error);
  nn::Dense dense(2, {.name = "d"});
  Matrix x = Matrix::Ones(2, 3);
  CHECK_THROWS_WITH_AS(dense.forward(x, false), doctest::Contains("Dense 'd': used before build()"), Error);
  Rng rng(0);
  dense.build(4, rng);
  CHECK_THROWS_WITH_AS(dense.forward(x, false),
                       doctest::Contains("Dense 'd': expected input with 4 columns; received x with 3 columns"),
                       Error);
  Matrix x4 = Matrix::Ones(2, 4);
  dense.forward(x4, true);
  CHECK_THROWS_WITH_AS(dense.backward(Matrix::Ones(3, 2)),
                       doctest::Contains("backward expected dy of 2 x 2; received 3 x 2"), Error);
}
