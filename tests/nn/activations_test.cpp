// Activation functions: forward values against hand-computed Keras 3 values, derivatives by finite differences.
#include "support/matrices.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace descent;
using testing::row;

namespace {

// Forward values are compared to ~float precision in the float build and far tighter in the double build.
constexpr double kValueEps = std::is_same_v<Scalar, double> ? 1e-12 : 2e-6;

Matrix activate(const std::string& name, const Matrix& z) {
  Matrix a;
  nn::get_activation(name)->forward(z, a);
  return a;
}

// f applied to one value.
double at(const std::string& name, double x) { return activate(name, row({x}))(0, 0); }

// f'(x) as backward() reports it for da = 1.
double slope(const std::string& name, double x) {
  auto f = nn::get_activation(name);
  Matrix z = row({x}), a, dz;
  f->forward(z, a);
  f->backward(z, a, Matrix::Ones(1, 1), dz);
  return dz(0, 0);
}

// Inputs at least 0.15 from every kink (0 for relu-like functions, +-3 for hard_sigmoid), including values outside
// hard_sigmoid's linear band, so central differences with the build's step see a smooth function.
Matrix smooth_inputs() {
  Matrix z(3, 5);
  z << -2.3, -1.1, -0.45, 0.35, 0.8,  //
      1.7, 2.6, -3.4, 3.7, -0.2,      //
      0.15, 1.2, -1.6, 2.05, -0.7;
  return z;
}

// With L = sum(w .* f(z)), compares backward()'s dL/dz with central differences of forward().
double check_activation_gradient(const nn::ActivationFunction& f, Matrix z) {
  Matrix w(z.rows(), z.cols());
  for (Index i = 0; i < w.size(); ++i) w.data()[i] = static_cast<Scalar>(0.3 + 0.17 * static_cast<double>(i % 7) - 0.5 * (i % 2));
  Matrix a, dz;
  f.forward(z, a);
  f.backward(z, a, w, dz);
  auto objective = [&] {
    Matrix out;
    f.forward(z, out);
    return (out.cast<double>().array() * w.cast<double>().array()).sum();
  };
  return testing::relative_error(dz, testing::numeric_gradient(z, objective));
}

}  // namespace

TEST_CASE("every Keras activation the issue lists is registered") {
  std::vector<std::string> names = nn::activation_names();
  for (const char* expected : {"linear", "relu", "sigmoid", "tanh", "softmax", "elu", "selu", "softplus", "softsign",
                               "swish", "silu", "gelu", "hard_sigmoid", "leaky_relu", "exponential"}) {
    CAPTURE(expected);
    CHECK(std::find(names.begin(), names.end(), expected) != names.end());
    CHECK(nn::get_activation(expected)->name() == expected);
  }
}

TEST_CASE("unknown activation names fail and list the valid ones; empty means linear") {
  CHECK_THROWS_WITH_AS(nn::get_activation("rleu"), doctest::Contains("Unknown activation \"rleu\""), Error);
  CHECK_THROWS_WITH_AS(nn::get_activation("rleu"), doctest::Contains("relu, selu"), Error);
  CHECK(nn::get_activation("")->name() == "linear");
  CHECK(nn::get_activation("")->is_identity());
  CHECK_FALSE(nn::get_activation("relu")->is_identity());
}

TEST_CASE("linear, relu, leaky_relu, elu and exponential forward values") {
  CHECK(at("linear", -3.25) == doctest::Approx(-3.25).epsilon(kValueEps));
  CHECK(at("relu", -1.5) == 0.0);
  CHECK(at("relu", 0.0) == 0.0);
  CHECK(at("relu", 2.0) == doctest::Approx(2.0).epsilon(kValueEps));
  // Keras 3 leaky_relu: negative_slope 0.2 (Keras 2's LeakyReLU layer used 0.3).
  CHECK(at("leaky_relu", -2.0) == doctest::Approx(-0.4).epsilon(kValueEps));
  CHECK(at("leaky_relu", 3.0) == doctest::Approx(3.0).epsilon(kValueEps));
  // elu(x) = e^x - 1 below 0: e^-1 - 1 = -0.6321205588285577.
  CHECK(at("elu", -1.0) == doctest::Approx(-0.6321205588285577).epsilon(kValueEps));
  CHECK(at("elu", 2.0) == doctest::Approx(2.0).epsilon(kValueEps));
  CHECK(at("elu", -1000.0) == doctest::Approx(-1.0).epsilon(kValueEps));
  CHECK(at("exponential", 1.0) == doctest::Approx(2.718281828459045).epsilon(kValueEps));
  CHECK(at("exponential", -2.0) == doctest::Approx(0.1353352832366127).epsilon(kValueEps));
}

TEST_CASE("selu uses Keras's lambda and alpha") {
  // lambda = 1.0507009873554805, alpha = 1.6732632423543772:
  // selu(2) = 2 lambda = 2.101401974710961; selu(-1) = lambda alpha (e^-1 - 1) = 1.7580993408473766 * -0.632120...
  CHECK(at("selu", 2.0) == doctest::Approx(2.101401974710961).epsilon(kValueEps));
  CHECK(at("selu", -1.0) == doctest::Approx(-1.1113307378125625).epsilon(kValueEps));
  CHECK(at("selu", -0.5) == doctest::Approx(-0.6917581878028713).epsilon(kValueEps));
  // The negative branch saturates at -lambda alpha.
  CHECK(at("selu", -1000.0) == doctest::Approx(-1.0507009873554805 * 1.6732632423543772).epsilon(kValueEps));
  CHECK(slope("selu", 1.0) == doctest::Approx(1.0507009873554805).epsilon(kValueEps));
}

TEST_CASE("sigmoid, tanh, softplus, softsign forward values") {
  CHECK(at("sigmoid", 0.0) == doctest::Approx(0.5).epsilon(kValueEps));
  CHECK(at("sigmoid", 2.0) == doctest::Approx(0.8807970779778823).epsilon(kValueEps));  // 1 / (1 + e^-2)
  CHECK(at("sigmoid", -1.0) == doctest::Approx(0.2689414213699951).epsilon(kValueEps));
  CHECK(at("tanh", 0.5) == doctest::Approx(0.46211715726000974).epsilon(kValueEps));
  CHECK(at("softplus", 0.0) == doctest::Approx(0.6931471805599453).epsilon(kValueEps));  // log 2
  CHECK(at("softplus", 1.0) == doctest::Approx(1.3132616875182228).epsilon(kValueEps));  // log(1 + e)
  // Far out, softplus(x) = x and softplus(-x) ~ e^-x: no overflow to inf, no log(1) = 0 for the large side.
  CHECK(at("softplus", 100.0) == doctest::Approx(100.0).epsilon(kValueEps));
  CHECK(at("softplus", -30.0) / std::exp(-30.0) == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(at("softsign", 3.0) == doctest::Approx(0.75).epsilon(kValueEps));  // 3 / (1 + 3)
  CHECK(at("softsign", -1.0) == doctest::Approx(-0.5).epsilon(kValueEps));
}

TEST_CASE("swish and silu are x sigmoid(x)") {
  for (const char* name : {"swish", "silu"}) {
    CAPTURE(name);
    CHECK(at(name, 1.0) == doctest::Approx(0.7310585786300049).epsilon(kValueEps));
    CHECK(at(name, -2.0) == doctest::Approx(-0.2384058440442351).epsilon(kValueEps));  // -2 / (1 + e^2)
    CHECK(at(name, 0.0) == 0.0);
  }
}

TEST_CASE("gelu is the exact erf form, not the tanh approximation") {
  // x Phi(x) = x/2 (1 + erf(x / sqrt 2)): gelu(1) = 0.8413447460685429 (the tanh form gives 0.8411919906082768).
  CHECK(at("gelu", 1.0) == doctest::Approx(0.8413447460685429).epsilon(kValueEps));
  CHECK(at("gelu", -1.0) == doctest::Approx(-0.15865525393145707).epsilon(kValueEps));
  CHECK(at("gelu", 0.5) == doctest::Approx(0.34573123063700656).epsilon(kValueEps));
  CHECK(std::abs(at("gelu", 1.0) - 0.8411919906082768) > 1e-4);
}

TEST_CASE("hard_sigmoid is Keras 3's relu6(x + 3) / 6") {
  CHECK(at("hard_sigmoid", 0.0) == doctest::Approx(0.5).epsilon(kValueEps));
  CHECK(at("hard_sigmoid", 1.0) == doctest::Approx(4.0 / 6.0).epsilon(kValueEps));  // Keras 2's 0.2x + 0.5 gives 0.7
  CHECK(at("hard_sigmoid", -1.5) == doctest::Approx(0.25).epsilon(kValueEps));
  CHECK(at("hard_sigmoid", -4.0) == 0.0);
  CHECK(at("hard_sigmoid", 3.5) == doctest::Approx(1.0).epsilon(kValueEps));
  CHECK(slope("hard_sigmoid", 1.0) == doctest::Approx(1.0 / 6.0).epsilon(kValueEps));
  CHECK(slope("hard_sigmoid", -3.5) == 0.0);
  CHECK(slope("hard_sigmoid", 3.5) == 0.0);
}

TEST_CASE("piecewise derivatives take the right branch on each side of the kink") {
  CHECK(slope("relu", -0.5) == 0.0);
  CHECK(slope("relu", 0.5) == doctest::Approx(1.0).epsilon(kValueEps));
  CHECK(slope("leaky_relu", -0.5) == doctest::Approx(0.2).epsilon(kValueEps));
  CHECK(slope("leaky_relu", 0.5) == doctest::Approx(1.0).epsilon(kValueEps));
  CHECK(slope("elu", -1.0) == doctest::Approx(std::exp(-1.0)).epsilon(kValueEps));
  CHECK(slope("elu", 1.0) == doctest::Approx(1.0).epsilon(kValueEps));
  CHECK(slope("selu", -1.0) == doctest::Approx(1.0507009873554805 * 1.6732632423543772 * std::exp(-1.0)).epsilon(kValueEps));
}

TEST_CASE("softmax: hand values, rows sum to 1, and large inputs do not overflow") {
  Matrix z(3, 3);
  z << 1, 2, 3,           //
      1000, 1001, 1002,   // same as row 0 after the max shift; exp(1000) alone is inf
      -1000, 0, 1000;
  Matrix a = activate("softmax", z);
  // e^k / (e + e^2 + e^3) for k = 1, 2, 3.
  const double expected[3] = {0.09003057317038046, 0.24472847105479767, 0.6652409557748219};
  for (Index i = 0; i < 2; ++i)
    for (Index j = 0; j < 3; ++j) CHECK(a(i, j) == doctest::Approx(expected[j]).epsilon(kValueEps));
  CHECK(a(2, 2) == doctest::Approx(1.0).epsilon(kValueEps));
  CHECK(a(2, 0) < 1e-30);  // e^-2000; Eigen's vectorised exp stops at its smallest normal, not 0
  for (Index i = 0; i < 3; ++i) {
    CHECK(a.row(i).sum() == doctest::Approx(1.0).epsilon(kValueEps));
    CHECK(a.row(i).allFinite());
  }
}

TEST_CASE("no activation but exponential produces NaN or inf at +-1000") {
  Matrix z = row({-1000.0, -80.0, 80.0, 1000.0});
  for (const std::string& name : nn::activation_names()) {
    if (name == "exponential") continue;  // e^1000 is inf by definition
    CAPTURE(name);
    auto f = nn::get_activation(name);
    Matrix a, dz;
    f->forward(z, a);
    f->backward(z, a, Matrix::Ones(1, 4), dz);
    CHECK(a.allFinite());
    CHECK(dz.allFinite());
  }
}

TEST_CASE("every activation's backward matches central differences") {
  for (const std::string& name : nn::activation_names()) {
    CAPTURE(name);
    double error = check_activation_gradient(*nn::get_activation(name), smooth_inputs());
    CAPTURE(error);
    CHECK(error < testing::kTolerance);
  }
}

TEST_CASE("the gradient check catches a wrong derivative") {
  // sigmoid's backward fed as if it were tanh's: the checker must see the mismatch, or the test above proves nothing.
  struct WrongTanh final : nn::ActivationFunction {
    std::string name() const override { return "wrong_tanh"; }
    void forward(const Matrix& z, Matrix& a) const override { a = z.array().tanh().matrix(); }
    void backward(const Matrix&, const Matrix& a, const Matrix& da, Matrix& dz) const override {
      dz = (da.array() * a.array() * (1 - a.array())).matrix();
    }
  };
  CHECK(check_activation_gradient(WrongTanh{}, smooth_inputs()) > 0.1);
}
