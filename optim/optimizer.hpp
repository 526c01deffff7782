// Optimizer: applies one update per step to a list of parameters (Keras base_optimizer.py: apply -> update_step).
#pragma once

#include <descent/core/serializable.hpp>
#include "learning_rate.hpp"

#include <descent/core/tensor.hpp>

#include <nlohmann/json_fwd.hpp>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace descent::optim {

using ParamF = BasicParam<float>;
using ParamD = BasicParam<double>;

/// The options every Keras optimizer has besides its learning rate; 0 means off (Keras's None). Each optimizer's
/// options struct repeats them, in this order, after its own fields. At most one of the three clips may be set.
struct CommonOptions {
  double weight_decay = 0.0;     ///< decoupled decay before each update: w <- w - w * weight_decay * lr
  double clipnorm = 0.0;         ///< each gradient rescaled to L2 norm <= clipnorm
  double clipvalue = 0.0;        ///< each gradient element clipped to [-clipvalue, clipvalue]
  double global_clipnorm = 0.0;  ///< all gradients rescaled together to a joint L2 norm <= global_clipnorm
};

/// The CommonOptions fields, declared in each optimizer's options struct after its own. A macro, not a base class:
/// designated initializers (`SGDOptions{.learning_rate = 0.1, .clipnorm = 1}`) cannot name a base's members.
#define DESCENT_COMMON_OPTIMIZER_OPTIONS \
  double weight_decay = 0.0;             \
  double clipnorm = 0.0;                 \
  double clipvalue = 0.0;                \
  double global_clipnorm = 0.0

/// The CommonOptions fields of any optimizer's options struct.
template <class Options>
CommonOptions common_options_of(const Options& o) {
  return {.weight_decay = o.weight_decay, .clipnorm = o.clipnorm, .clipvalue = o.clipvalue,
          .global_clipnorm = o.global_clipnorm};
}

/// Non-virtual interface, in Keras's order (base_optimizer.py apply): step() validates the parameters, fixes the
/// step's learning rate (the schedule at iterations() before the step), clips the gradients in place (clipnorm,
/// clipvalue, global_clipnorm), applies weight decay, counts the step once, then calls update() for each parameter
/// with its position. Slot state (momentum, moments) is kept by position, never by address.
///
/// To write an optimizer, derive from it and override update() for Scalar parameters (float by default); also
/// override the double one to use it in the double-precision scalar form of minimize(). An optimizer with an options
/// struct can derive from OptimizerWith instead (optimizer_with.hpp), which writes the common parts.
class Optimizer : public Serializable {
 public:

  /// Moves every parameter by its gradient. The parameter list must keep its length and shapes across steps. With
  /// clipping on, each param.grad is left holding the clipped gradient that was applied.
  void step(std::span<ParamF* const> params);
  void step(std::span<ParamD* const> params);

  /// Steps taken so far (Keras `iterations`).
  std::int64_t iterations() const { return iterations_; }
  /// The rate the next step uses: the constant rate, or the schedule at iterations() (Keras `learning_rate`).
  double learning_rate() const { return learning_rate_.at(iterations_); }
  /// The constant rate or schedule the optimizer follows, for its config.
  const LearningRate& learning_rate_setting() const { return learning_rate_; }
  /// Replaces a constant learning rate (ReduceLROnPlateau, LearningRateScheduler). Throws when the optimizer follows
  /// a schedule, as Keras does: the schedule owns the rate.
  void set_learning_rate(double learning_rate);
  /// weight_decay, clipnorm, clipvalue, global_clipnorm.
  const CommonOptions& common_options() const { return common_; }

  /// True for GD: fit feeds the whole training set as one batch.
  virtual bool full_batch() const { return false; }
  /// True when the optimizer asks training to stop (GD: the last step moved no weight by more than its tolerance).
  virtual bool converged() const { return false; }

  /// Names of the per-parameter slots, in saving order ("momentum"; "m", "v").
  virtual std::vector<std::string> slot_names() const { return {}; }
  /// True when slot `k` holds a velocity v (w <- w + v) that TF.js files keep as the accumulator a = -v / lr
  /// (SGD's "momentum"): the file codec converts it without knowing optimizer classes.
  virtual bool slot_is_velocity(std::size_t /*k*/) const { return false; }
  /// Slot `k` of parameter `index` (Scalar precision), for saving and restoring state; empty before the first step.
  Matrix& slot(std::size_t index, std::size_t k);
  std::size_t slotted_params() const;
  /// Restores the step count, as when resuming from a saved model.
  void set_iterations(std::int64_t iterations) { iterations_ = iterations; }
  /// Forgets the step count and every slot.
  void reset();

 protected:
  /// Validates the options; `name` is the class name for messages (class_name() is not callable yet).
  explicit Optimizer(LearningRate learning_rate, CommonOptions common = {}, const char* name = "Optimizer");

  /// The learning rate of the step in progress (fixed before weight decay and the updates).
  double current_learning_rate() const { return step_learning_rate_; }
  /// Called once per step before the updates, after the count advanced: iterations() is the 1-based step t.
  virtual void begin_step() {}
  /// Updates one parameter in place from its (clipped) gradient; `index` is its position in the list.
  virtual void update(ParamF& param, std::size_t index);
  virtual void update(ParamD& param, std::size_t index);

  /// Slot `k` of parameter `index`, created on first use with the parameter's shape, filled with `initial`. The
  /// parameter's slot list is sized once for every name in slot_names(), so a reference to one slot stays valid
  /// while the others are created.
  template <class T>
  MatrixT<T>& slot(const BasicParam<T>& param, std::size_t index, std::size_t k, T initial = T(0)) {
    auto& slots = slots_of<T>();
    if (slots.size() <= index) slots.resize(index + 1);
    if (slots[index].size() <= k) slots[index].resize(std::max(k + 1, slot_names().size()));
    MatrixT<T>& s = slots[index][k];
    if (s.rows() != param.value.rows() || s.cols() != param.value.cols())
      s.setConstant(param.value.rows(), param.value.cols(), initial);
    return s;
  }

  /// The keys every Keras optimizer config starts with: name, learning_rate, weight_decay, clipnorm,
  /// global_clipnorm, clipvalue (an option that is off is null, as Keras writes None).
  nlohmann::json base_config(const std::string& name) const;

 private:
  template <class T>
  void step_impl(std::span<BasicParam<T>* const> params);
  template <class T>
  void clip_gradients(std::span<BasicParam<T>* const> params) const;
  template <class T>
  std::vector<std::vector<MatrixT<T>>>& slots_of() {
    if constexpr (std::is_same_v<T, float>) return slots_f_;
    else return slots_d_;
  }

  std::int64_t iterations_ = 0;
  LearningRate learning_rate_;
  CommonOptions common_;
  double step_learning_rate_ = 0.0;
  std::size_t param_count_ = 0;  // the length of the first list stepped, which later lists must match
  std::vector<std::vector<MatrixT<float>>> slots_f_;
  std::vector<std::vector<MatrixT<double>>> slots_d_;
};

}  // namespace descent::optim
