// Central-difference gradient checks for layers and losses (mlpack's ann_test_tools.hpp approach).
#pragma once

#include <descent/descent.hpp>

#include <functional>

namespace descent::testing {

/// Step and tolerance suited to the build's Scalar: tight in the double build, loose in float.
inline constexpr double kStep = std::is_same_v<Scalar, double> ? 1e-6 : 1e-2;
inline constexpr double kTolerance = std::is_same_v<Scalar, double> ? 1e-7 : 2e-2;

/// ||a - b|| / ||a + b|| (0 when both are zero).
inline double relative_error(const Matrix& a, const Matrix& b) {
  double denominator = (a + b).cast<double>().norm();
  double numerator = (a - b).cast<double>().norm();
  return denominator == 0.0 ? numerator : numerator / denominator;
}

/// d f / d m by central differences, perturbing each entry of m in place (and restoring it).
inline Matrix numeric_gradient(Matrix& m, const std::function<double()>& f, double h = kStep) {
  Matrix g(m.rows(), m.cols());
  for (Index i = 0; i < m.size(); ++i) {
    Scalar saved = m.data()[i];
    m.data()[i] = static_cast<Scalar>(saved + h);
    double plus = f();
    m.data()[i] = static_cast<Scalar>(saved - h);
    double minus = f();
    m.data()[i] = saved;
    g.data()[i] = static_cast<Scalar>((plus - minus) / (2 * h));
  }
  return g;
}

/// Checks a layer: with L = sum(weights .* layer(x)), compares backward()'s dL/dx and every Param::grad with
/// central differences. Returns the largest relative error.
inline double check_layer_gradients(nn::Layer& layer, Matrix x, std::uint64_t seed = 1) {
  Rng rng(seed);
  const Matrix& y0 = layer.forward(x, true);
  Matrix weights = Matrix::Random(y0.rows(), y0.cols());
  auto objective = [&] { return static_cast<double>((layer.forward(x, true).cast<double>().array() *
                                                     weights.cast<double>().array()).sum()); };
  layer.set_input_gradient_needed(true);
  layer.forward(x, true);
  Matrix dx = layer.backward(weights);
  std::vector<Matrix> grads;
  for (Param* p : layer.params()) grads.push_back(p->grad);
  double worst = relative_error(dx, numeric_gradient(x, objective));
  auto params = layer.params();
  for (std::size_t k = 0; k < params.size(); ++k)
    worst = std::max(worst, relative_error(grads[k], numeric_gradient(params[k]->value, objective)));
  return worst;
}

/// Checks a whole model: with L = sum(w .* model(x)) for fixed random w, compares every weight's gradient from
/// model.backward with central differences. Returns the largest relative error.
inline double check_model_gradients(nn::Model& model, const Matrix& x, std::uint64_t seed = 11) {
  Rng rng(seed);
  Matrix w(x.rows(), model.output_dim());
  for (Index i = 0; i < w.size(); ++i) w.data()[i] = static_cast<Scalar>(4 * uniform01(rng) - 2);
  auto objective = [&] {
    return static_cast<double>((model.forward(x, true).cast<double>().array() * w.cast<double>().array()).sum());
  };
  model.forward(x, true);
  model.backward(w, false);
  std::vector<Matrix> grads;
  for (Param* p : model.weights()) grads.push_back(p->grad);
  double worst = 0;
  for (std::size_t k = 0; k < grads.size(); ++k)
    worst = std::max(worst, relative_error(grads[k], numeric_gradient(model.weights()[k]->value, objective)));
  return worst;
}

/// Checks a loss's gradient() against central differences of value().
inline double check_loss_gradient(const losses::Loss& loss, const Matrix& y_true, Matrix y_pred) {
  Matrix analytic;
  loss.gradient(y_true, y_pred, analytic);
  Matrix numeric = numeric_gradient(y_pred, [&] { return loss.value(y_true, y_pred); });
  return relative_error(analytic, numeric);
}

}  // namespace descent::testing
