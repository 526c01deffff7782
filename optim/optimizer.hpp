// Optimizer: applies one update per step to a list of parameters (Keras base_optimizer.py: apply -> update_step).
#pragma once

#include "../nn/tensor.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace descent::optim {

using ParamF = BasicParam<float>;
using ParamD = BasicParam<double>;

/// Non-virtual interface: step() validates the parameters, counts the step once, then calls update() for each
/// parameter with its position. Slot state (momentum, moments) is kept by position, never by address.
///
/// To write an optimizer, derive from it and override update() for Scalar parameters (float by default); also
/// override the double one to use it in the double-precision scalar form of minimize().
class Optimizer {
 public:
  virtual ~Optimizer() = default;

  /// The Keras class name: "SGD", "Adam", ...
  virtual std::string class_name() const = 0;
  /// The Keras config: name, learning_rate and the optimizer's own options.
  virtual nlohmann::json config() const = 0;

  /// Moves every parameter by its gradient. The parameter list must keep its length and shapes across steps.
  void step(std::span<ParamF* const> params);
  void step(std::span<ParamD* const> params);

  /// Steps taken so far (Keras `iterations`).
  std::int64_t iterations() const { return iterations_; }
  double learning_rate() const { return learning_rate_; }
  void set_learning_rate(double learning_rate);

  /// True for GD: fit feeds the whole training set as one batch.
  virtual bool full_batch() const { return false; }
  /// True when the optimizer asks training to stop (GD: the last step moved no weight by more than its tolerance).
  virtual bool converged() const { return false; }

  /// Names of the per-parameter slots, in saving order ("momentum"; "m", "v").
  virtual std::vector<std::string> slot_names() const { return {}; }
  /// Slot `k` of parameter `index` (Scalar precision), for saving and restoring state; empty before the first step.
  Matrix& slot(std::size_t index, std::size_t k);
  std::size_t slotted_params() const;
  /// Restores the step count, as when resuming from a saved model.
  void set_iterations(std::int64_t iterations) { iterations_ = iterations; }
  /// Forgets the step count and every slot.
  void reset();

 protected:
  explicit Optimizer(double learning_rate);

  /// The learning rate for the current step.
  double current_learning_rate() const { return learning_rate_; }
  /// Called once per step before the updates.
  virtual void begin_step() {}
  /// Updates one parameter in place from its gradient; `index` is its position in the list.
  virtual void update(ParamF& param, std::size_t index);
  virtual void update(ParamD& param, std::size_t index);

  /// Slot `k` of parameter `index`, created on first use with the parameter's shape, filled with `initial`.
  template <class T>
  MatrixT<T>& slot(const BasicParam<T>& param, std::size_t index, std::size_t k, T initial = T(0)) {
    auto& slots = slots_of<T>();
    if (slots.size() <= index) slots.resize(index + 1);
    if (slots[index].size() <= k) slots[index].resize(k + 1);
    MatrixT<T>& s = slots[index][k];
    if (s.rows() != param.value.rows() || s.cols() != param.value.cols())
      s.setConstant(param.value.rows(), param.value.cols(), initial);
    return s;
  }

 private:
  template <class T>
  void step_impl(std::span<BasicParam<T>* const> params);
  template <class T>
  std::vector<std::vector<MatrixT<T>>>& slots_of() {
    if constexpr (std::is_same_v<T, float>) return slots_f_;
    else return slots_d_;
  }

  std::int64_t iterations_ = 0;
  double learning_rate_;
  std::size_t param_count_ = 0;  // the length of the first list stepped, which later lists must match
  std::vector<std::vector<MatrixT<float>>> slots_f_;
  std::vector<std::vector<MatrixT<double>>> slots_d_;
};

}  // namespace descent::optim
