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
  /// A model that is a Sequential (as nn::load_model and model_from_json return one); an Error for a Functional.
  Sequential(Model&& model);

  /// Appends a layer; unnamed layers get Keras's names (dense, dense_1, ...). Once the input width is known (an
  /// Input, or input_dim on the first layer) each layer is built as it is added, as in Keras.
  template <std::derived_from<Layer> L>
  Sequential& add(L layer) {
    return add(std::unique_ptr<Layer>(std::make_unique<L>(std::move(layer))));
  }
  Sequential& add(std::unique_ptr<Layer> layer);
  /// Declares the input sample shape (keras.Input(shape=...)); must come first.
  Sequential& add(const Input& input);
};

}  // namespace descent::nn
