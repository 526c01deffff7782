// PReLU: a leaky ReLU whose negative slope alpha is a trained weight (keras.layers.PReLU, He et al. 2015).
#pragma once

#include "elementwise_layer.hpp"

#include <descent/nn/constraints.hpp>
#include <descent/nn/initializers.hpp>
#include <descent/nn/regularizers.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras PReLU keyword arguments, with Keras's defaults. Field order is API: only append.
struct PReLUOptions {
  /// Axes along which one alpha is shared, counted as Keras counts them with the batch axis as 0: for samples of
  /// (height, width, channels), {1, 2} gives one alpha per channel. Empty: an alpha per input value.
  std::vector<int> shared_axes;
  InitializerId alpha_initializer = "zeros";
  std::optional<RegularizerId> alpha_regularizer;
  std::optional<ConstraintId> alpha_constraint;
  std::string name;
};

/// y = x for x >= 0, alpha * x for x < 0, with alpha of the sample's shape except 1 along the shared axes, broadcast
/// over them. dx = dy for x > 0, alpha * dy for x < 0, 0 at x = 0 (Keras computes relu(x) - alpha * relu(-x), and
/// relu's gradient at 0 is 0); dalpha = the sum of dy * min(x, 0) over the batch and the shared axes.
/// Weight: alpha, of that shape (32 values for (28, 28, 32) samples with shared_axes {1, 2}).
class PReLU : public ElementwiseLayer {
 public:
  explicit PReLU(PReLUOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "PReLU"; }
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  std::vector<Param*> params() override { return {&alpha_}; }
  double regularization_loss() const override;
  void apply_constraints() override;
  nlohmann::json config() const override;

  const PReLUOptions& options() const { return options_; }
  Param& alpha() { return alpha_; }

 protected:
  void build_weights(const Shape& input_shape, Rng& rng) override;

 private:
  PReLUOptions options_;
  std::shared_ptr<Regularizer> regularizer_;
  std::shared_ptr<Constraint> constraint_;
  Param alpha_{"alpha"};
  // For each value of a sample (row-major), the index of its alpha in alpha_.value's row-major data.
  std::vector<Index> alpha_of_;
};

}  // namespace descent::nn
