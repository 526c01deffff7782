// Keras's fit / evaluate / predict keyword arguments, shared by every model.
#pragma once

#include <descent/callbacks/callback.hpp>
#include <descent/core/tensor.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace descent::nn {

/// Keras fit keyword arguments and defaults. Field order is API: only append.
struct FitOptions {
  int epochs = 1;
  Index batch_size = 32;         ///< ignored by full-batch optimizers (GD)
  double validation_split = 0.0;  ///< the last fraction of x and y, before shuffling, as Keras
  std::optional<Dataset> validation_data;
  bool shuffle = true;
  int verbose = 1;  ///< 0 silent, 1 progress bar (one line per epoch when not a terminal), 2 one line; printed to
                    ///< descent::output()
  std::optional<std::uint64_t> seed;  ///< shuffling seed; unset: derived from the model's seed
  std::vector<std::shared_ptr<Callback>> callbacks;
  int initial_epoch = 0;  ///< the epoch to start at, as Keras: epochs=10, initial_epoch=5 runs epochs 5..9
  int validation_freq = 1;  ///< validate after every validation_freq-th epoch (epochs 1-based, as Keras)
  /// Keras class_weight: class index -> weight of its training samples (classes not listed weigh 1). The class is
  /// the argmax of a one-hot y, else the rounded label. Not with sample_weight.
  std::map<int, double> class_weight;
  /// Keras sample_weight: one non-negative weight per row of x (empty: all 1). The loss becomes the sum of weight
  /// times loss over the batch size; weighted_metrics become weighted means. validation_split splits it too.
  Vector sample_weight;
};

struct EvaluateOptions {
  Index batch_size = 32;
  Vector sample_weight;  ///< one weight per row of x, as FitOptions::sample_weight (empty: all 1)
};

struct PredictOptions {
  Index batch_size = 32;
};

}  // namespace descent::nn
