// Sequential: a stack of layers, each feeding the next (Keras's Sequential), trained by the shared engine of Model.
#pragma once

#include "model.hpp"

#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace descent::nn {

struct SequentialOptions {
  std::string name = "sequential";
  /// Draws the initial weights (and seeds the noise layers and fit's shuffling); the same seed gives the same
  /// weights, bit for bit. Unset: the next seed of the program's sequence (set_random_seed), so two models of one
  /// program differ and every run of the program is the same.
  std::optional<std::uint64_t> seed;
};

/// Layers applied in order.
class Sequential : public Model {
 public:
  explicit Sequential(SequentialOptions options = {});

  /// Appends a layer; unnamed layers get Keras's names (dense, dense_1, ...). Once the input width is known (an
  /// Input, or input_dim on the first layer) each layer is built as it is added, as in Keras.
  template <std::derived_from<Layer> L>
  Sequential& add(L layer) {
    return add(std::unique_ptr<Layer>(std::make_unique<L>(std::move(layer))));
  }
  Sequential& add(std::unique_ptr<Layer> layer);
  /// Declares the input sample shape (keras.Input(shape=...)); must come first.
  Sequential& add(const Input& input);

  std::string class_name() const override { return "Sequential"; }
  void build(const Shape& input_shape) override;
  Shape output_shape() const override;
  const Matrix& forward(const Matrix& x, bool training) override;
  void backward(const Matrix& grad, bool from_logits) override;
  const Layer& output_layer() const override;

  std::string summary_text() const override;
  /// The Keras-2 dialect with an explicit InputLayer, which TF.js and Keras 3 both read.
  std::string to_json() const override;
  void save(const std::string& path, SaveOptions options = {}) const override;
  void save_weights(const std::string& path) const override;
  void load_weights(const std::string& path) override;

 private:
  Rng build_rng_;  // initial weights: seeded at the first build, continued by layers added later
};

}  // namespace descent::nn
