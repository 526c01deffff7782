// Reshape: gives each sample a new shape of the same size (keras.layers.Reshape).
#pragma once

#include <descent/nn/layer.hpp>

#include <memory>
#include <string>
#include <vector>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras Reshape keyword arguments besides target_shape. Field order is API: only append.
struct ReshapeOptions {
  std::string name;
};

/// (d1, ..., dk) -> target_shape, the sample's values kept in their row-major order, so forward returns x itself and
/// backward dy itself. One entry of target_shape may be -1: it becomes the sample size over the other entries'
/// product, as in Keras.
class Reshape : public Layer {
 public:
  /// target_shape: positive sizes, at most one -1; without the batch axis, as Keras's.
  explicit Reshape(std::vector<Index> target_shape, ReshapeOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "Reshape"; }
  /// target_shape with its -1 resolved; an Error naming both shapes when the sizes differ.
  Shape compute_output_shape(const Shape& input_shape) const override;
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  nlohmann::json config() const override;

  /// As given, -1 included (Keras writes it so).
  const std::vector<Index>& target_shape() const { return target_shape_; }

 protected:
  void build_weights(const Shape& input_shape, Rng& rng) override;

 private:
  std::vector<Index> target_shape_;
  Index rows_ = 0;  // of the last forward, to check dy
  Matrix none_;     // stays empty: backward's result when no input gradient is needed
};

}  // namespace descent::nn
