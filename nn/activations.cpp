// Keras 3 activation formulas (keras/src/activations/activations.py) and their derivatives.
#include "activations.hpp"

#include <descent/core/error.hpp>
#include <descent/core/detail/parallel.hpp>

#include <cmath>
#include <functional>
#include <map>

namespace descent::nn {
namespace {

using Array = Eigen::Array<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// An element-wise f with f'(z) expressed through z and a = f(z), whichever is cheaper.
template <class F, class D>
class Elementwise final : public ActivationFunction {
 public:
  Elementwise(std::string name, F f, D d, bool in_place) : name_(std::move(name)), f_(f), d_(d), in_place_(in_place) {}
  std::string name() const override { return name_; }
  bool in_place() const override { return in_place_; }
  void forward(const Matrix& z, Matrix& a) const override {
    a.resize(z.rows(), z.cols());
    detail::for_row_blocks(z.rows(), z.cols(), [&](Index first, Index count) {
      a.middleRows(first, count).array() = f_(z.middleRows(first, count).array());
    });
  }
  // Each block gets its bias and its activation while it is in cache: one sweep over z instead of two.
  void forward_biased(Matrix& z, const Matrix* bias, Matrix& a) const override {
    a.resize(z.rows(), z.cols());
    detail::for_row_blocks(z.rows(), z.cols(), [&](Index first, Index count) {
      auto zb = z.middleRows(first, count);
      if (bias) zb.rowwise() += bias->row(0);
      a.middleRows(first, count).array() = f_(zb.array());
    });
  }
  void backward(const Matrix& z, const Matrix& a, const Matrix& da, Matrix& dz) const override {
    dz.resize(z.rows(), z.cols());
    detail::for_row_blocks(z.rows(), z.cols(), [&](Index first, Index count) {
      dz.middleRows(first, count).array() =
          da.middleRows(first, count).array() *
          d_(z.middleRows(first, count).array(), a.middleRows(first, count).array());
    });
  }

 private:
  std::string name_;
  F f_;
  D d_;
  bool in_place_;
};

template <class F, class D>
std::unique_ptr<ActivationFunction> elementwise(std::string name, F f, D d, bool in_place = false) {
  return std::make_unique<Elementwise<F, D>>(std::move(name), f, d, in_place);
}

class Linear final : public ActivationFunction {
 public:
  std::string name() const override { return "linear"; }
  void forward(const Matrix& z, Matrix& a) const override { a = z; }
  void backward(const Matrix&, const Matrix&, const Matrix& da, Matrix& dz) const override { dz = da; }
  bool is_identity() const override { return true; }
};

// Per row: a = exp(z - max z) / sum exp(z - max z); dz = a * (da - <da, a>).
class Softmax final : public ActivationFunction {
 public:
  std::string name() const override { return "softmax"; }
  void forward(const Matrix& z, Matrix& a) const override {
    a.resize(z.rows(), z.cols());
    for (Index i = 0; i < z.rows(); ++i) {
      a.row(i).array() = (z.row(i).array() - z.row(i).maxCoeff()).exp();
      a.row(i) /= a.row(i).sum();
    }
  }
  void backward(const Matrix&, const Matrix& a, const Matrix& da, Matrix& dz) const override {
    dz.resize(a.rows(), a.cols());
    for (Index i = 0; i < a.rows(); ++i) {
      Scalar dot = da.row(i).dot(a.row(i));
      dz.row(i).array() = a.row(i).array() * (da.row(i).array() - dot);
    }
  }
};

constexpr Scalar kSeluAlpha = Scalar(1.6732632423543772848170429916717);
constexpr Scalar kSeluScale = Scalar(1.0507009873554804934193349852946);
constexpr Scalar kLeakySlope = Scalar(0.2);  // Keras 3 leaky_relu default negative_slope

// swish(z) = z * sigmoid(z); swish' = sigmoid + a * (1 - sigmoid). Keras registers it as both "swish" and "silu".
std::unique_ptr<ActivationFunction> swish(std::string name) {
  return elementwise(
      std::move(name), [](const auto& z) { return z * (Scalar(1) + (-z).exp()).inverse(); },
      [](const auto& z, const auto& a) {
        auto s = (Scalar(1) + (-z).exp()).inverse();
        return s + a * (Scalar(1) - s);
      });
}

using Factory = std::function<std::unique_ptr<ActivationFunction>()>;

const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> table = {
      {"linear", [] { return std::make_unique<Linear>(); }},
      {"softmax", [] { return std::make_unique<Softmax>(); }},
      {"relu", [] {
         return elementwise(
             "relu", [](const auto& z) { return z.max(Scalar(0)); },
             // A select against a constant vectorizes; a cast of the comparison does not (a third of the speed).
             [](const auto& z, const auto&) {
               return (z > Scalar(0)).select(Array::Ones(z.rows(), z.cols()), Scalar(0));
             },
             true);
       }},
      {"sigmoid", [] {
         return elementwise(
             "sigmoid", [](const auto& z) { return (Scalar(1) + (-z).exp()).inverse(); },
             [](const auto&, const auto& a) { return a * (Scalar(1) - a); });
       }},
      {"tanh", [] {
         return elementwise(
             "tanh", [](const auto& z) { return z.tanh(); },
             [](const auto&, const auto& a) { return Scalar(1) - a.square(); });
       }},
      {"elu", [] {
         return elementwise(
             "elu", [](const auto& z) { return (z > Scalar(0)).select(z, z.exp() - Scalar(1)); },
             [](const auto& z, const auto& a) { return (z > Scalar(0)).select(Array::Ones(z.rows(), z.cols()), a + 1); });
       }},
      {"selu", [] {
         return elementwise(
             "selu",
             [](const auto& z) { return kSeluScale * (z > Scalar(0)).select(z, kSeluAlpha * (z.exp() - Scalar(1))); },
             [](const auto& z, const auto&) {
               return kSeluScale * (z > Scalar(0)).select(Array::Ones(z.rows(), z.cols()), kSeluAlpha * z.exp());
             });
       }},
      // log(1 + e^z) written as max(z, 0) + log1p(e^-|z|) so large |z| neither overflows nor loses precision.
      {"softplus", [] {
         return elementwise(
             "softplus", [](const auto& z) { return z.max(Scalar(0)) + (-z.abs()).exp().log1p(); },
             [](const auto& z, const auto&) { return (Scalar(1) + (-z).exp()).inverse(); });
       }},
      {"softsign", [] {
         return elementwise(
             "softsign", [](const auto& z) { return z / (Scalar(1) + z.abs()); },
             [](const auto& z, const auto&) { return (Scalar(1) + z.abs()).square().inverse(); });
       }},
      {"swish", [] { return swish("swish"); }},
      {"silu", [] { return swish("silu"); }},
      // Keras 3 default: the exact form x * Phi(x), Phi the standard normal CDF.
      {"gelu", [] {
         return elementwise(
             "gelu",
             [](const auto& z) {
               return z.unaryExpr([](Scalar x) { return Scalar(0.5) * x * (Scalar(1) + std::erf(x * Scalar(M_SQRT1_2))); });
             },
             [](const auto& z, const auto&) {
               return z.unaryExpr([](Scalar x) {
                 Scalar cdf = Scalar(0.5) * (Scalar(1) + std::erf(x * Scalar(M_SQRT1_2)));
                 Scalar pdf = std::exp(Scalar(-0.5) * x * x) * Scalar(0.3989422804014327);
                 return cdf + x * pdf;
               });
             });
       }},
      // Keras 3: relu6(x + 3) / 6 (Keras 2 used 0.2 x + 0.5).
      {"hard_sigmoid", [] {
         return elementwise(
             "hard_sigmoid", [](const auto& z) { return (z / Scalar(6) + Scalar(0.5)).max(Scalar(0)).min(Scalar(1)); },
             [](const auto& z, const auto&) {
               return ((z > Scalar(-3)) && (z < Scalar(3)))
                   .select(Array::Constant(z.rows(), z.cols(), Scalar(1) / 6), Scalar(0));
             });
       }},
      {"leaky_relu", [] {
         return elementwise(
             "leaky_relu", [](const auto& z) { return (z > Scalar(0)).select(z, kLeakySlope * z); },
             [](const auto& z, const auto&) {
               return (z > Scalar(0)).select(Array::Ones(z.rows(), z.cols()), Array::Constant(z.rows(), z.cols(), kLeakySlope));
             },
             true);
       }},
      {"exponential", [] {
         return elementwise(
             "exponential", [](const auto& z) { return z.exp(); }, [](const auto&, const auto& a) { return a; });
       }},
  };
  return table;
}

}  // namespace

void ActivationFunction::forward_biased(Matrix& z, const Matrix* bias, Matrix& a) const {
  if (bias) z.rowwise() += bias->row(0);
  forward(z, a);
}

std::unique_ptr<ActivationFunction> get_activation(const std::string& name) {
  const auto& table = registry();
  auto it = table.find(name.empty() ? "linear" : name);
  if (it == table.end()) {
    std::string valid;
    for (const auto& [k, _] : table) valid += (valid.empty() ? "" : ", ") + k;
    fail(str("Unknown activation \"", name, "\". Valid activations: ", valid, "."));
  }
  return it->second();
}

std::vector<std::string> activation_names() {
  std::vector<std::string> names;
  for (const auto& [k, _] : registry()) names.push_back(k);
  return names;
}

}  // namespace descent::nn
