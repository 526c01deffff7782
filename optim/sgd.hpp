// SGD: Keras's stochastic gradient descent with optional momentum and Nesterov momentum.
#pragma once

#include "optimizer_with.hpp"

namespace descent::optim {

/// Keras SGD keyword arguments and defaults. Field order is API: only append.
struct SGDOptions {
  LearningRate learning_rate = 0.01;  ///< a number or a schedule
  double momentum = 0.0;              ///< in [0, 1]
  bool nesterov = false;
  DESCENT_COMMON_OPTIMIZER_OPTIONS;  ///< weight_decay, clipnorm, clipvalue, global_clipnorm: 0 is off

  DESCENT_FIELDS(momentum, nesterov);
};

/// Keras 3 keras/src/optimizers/sgd.py, with g the gradient of the batch-mean loss:
///   momentum == 0:  w <- w - lr g
///   otherwise:      v <- momentum v - lr g;  w <- w + v, or with Nesterov w <- w + momentum v - lr g
/// The velocity v is the slot "momentum" (TF.js keeps a = -v / lr instead).
class SGD : public OptimizerWith<SGD, SGDOptions> {
 public:
  static constexpr const char* kClassName = "SGD";
  static constexpr const char* kName = "SGD";

  explicit SGD(SGDOptions options = {});

  std::vector<std::string> slot_names() const override;
  bool slot_is_velocity(std::size_t k) const override { return k == 0 && options_.momentum != 0; }

 protected:
  /// `name` is the class name for messages (GD builds on SGD).
  SGD(SGDOptions options, const char* name);

  void begin_step() override { largest_update_ = 0.0; }

  /// Largest |change| of any weight in the last step; tracked only when a subclass asks (GD's tolerance).
  double largest_update_ = 0.0;
  bool track_updates_ = false;

 private:
  friend OptimizerWith;
  template <class T>
  void apply(BasicParam<T>& param, std::size_t index);
};

extern template class OptimizerWith<SGD, SGDOptions>;  // instantiated in sgd.cpp, beside apply()

}  // namespace descent::optim
