// Activation: a layer that applies one activation function, as keras.layers.Activation.
#pragma once

#include <descent/nn/activations.hpp>
#include <descent/nn/layer.hpp>

#include <memory>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

struct ActivationOptions {
  std::string name;
};

class Activation : public Layer {
 public:
  explicit Activation(std::string activation, ActivationOptions options = {});
  /// From a Keras config (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "Activation"; }
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  nlohmann::json config() const override;

  std::string final_activation() const override;
  const Matrix& logits() const override { return *x_; }
  const Matrix& backward_from_logits(const Matrix& dz) override { return dz; }

 private:
  std::shared_ptr<const ActivationFunction> function_;
  const Matrix* x_ = nullptr;
  Matrix a_, dx_;
};

}  // namespace descent::nn
