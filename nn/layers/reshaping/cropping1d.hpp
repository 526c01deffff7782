// Cropping1D: steps removed from the start and the end of (steps, features) samples (keras.layers.Cropping1D).
#pragma once

#include "margin_layer.hpp"

#include <memory>
#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras Cropping1D keyword arguments, with Keras's defaults. Field order is API: only append.
struct Cropping1DOptions {
  Margins cropping = 1;  ///< steps removed at the start and at the end: n is (n, n)
  std::string name;
};

/// (steps, features) -> (steps - before - after, features); at least one step must remain.
class Cropping1D : public MarginLayer {
 public:
  explicit Cropping1D(Cropping1DOptions options = {});
  /// From a Keras config: cropping an int or a pair (the registry's factory).
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "Cropping1D"; }
  nlohmann::json config() const override;

  const Cropping1DOptions& options() const { return options_; }

 private:
  Cropping1DOptions options_;
};

}  // namespace descent::nn
