// Softmax: exponentials normalized to sum to 1 along an axis of each sample (keras.layers.Softmax).
#pragma once

#include <descent/nn/layer.hpp>

#include <memory>
#include <string>
#include <vector>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras Softmax keyword arguments, with Keras's default. Field order is API: only append.
struct SoftmaxOptions {
  /// The axis (or adjacent axes) the softmax normalizes over, counted as Keras counts them: the batch is axis 0,
  /// -1 the last. Several axes normalize over all their values together, as Keras's list form.
  std::vector<int> axis = {-1};
  std::string name;
};

/// y = exp(x - max x) / sum exp(x - max x) over each group of values that differ only along `axis`; dx = y * (dy -
/// sum(dy * y)) per group. Over the whole sample (the last axis of (features,) samples) it is the final activation
/// that categorical cross-entropy fuses with, as Keras's Softmax layer output carries its logits.
class Softmax : public Layer {
 public:
  explicit Softmax(SoftmaxOptions options = {});
  /// From a Keras config: axis an int or a list of ints.
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "Softmax"; }
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;
  /// axis an int when it is one axis, else a list, as Keras writes what it was given.
  nlohmann::json config() const override;

  std::string final_activation() const override;
  const Matrix& logits() const override;
  const Matrix& backward_from_logits(const Matrix& dz) override { return dz; }

  const SoftmaxOptions& options() const { return options_; }

 protected:
  void build_weights(const Shape& input_shape, Rng& rng) override;

 private:
  SoftmaxOptions options_;
  // A sample seen as (outer, n, inner), the softmax running over n values inner apart, for each of outer * inner.
  Index outer_ = 0, n_ = 0, inner_ = 0;
  const Matrix* x_ = nullptr;  // input of the last forward
  Matrix y_, dx_;
  Matrix none_;  // stays empty: backward's result when no input gradient is needed
};

}  // namespace descent::nn
