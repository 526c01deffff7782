// Weight constraints with Keras 3's formulas (keras/src/constraints): projections applied after each update.
#pragma once

#include <descent/core/identifier.hpp>
#include <descent/core/serializable.hpp>
#include <descent/core/tensor.hpp>

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Maps a weight back onto its allowed set; the model applies it after every optimizer step.
class Constraint : public Serializable {
 public:
  /// Projects `w`, a weight of Keras shape `shape` stored as Param stores it, in place. For a vector (a bias) every
  /// axis means all of it.
  virtual void apply(Matrix& w, const Shape& shape) const = 0;
};

/// Keras's `axis`: the axes the norm runs over. For a Dense kernel (inputs x units) the default 0 gives one norm per
/// unit; {0, 1} one norm for the whole kernel.
using Axes = std::vector<int>;

struct MaxNormOptions {
  double max_value = 2.0;
  Axes axis = {0};
};
/// Rescales slices whose norm exceeds max_value: w * clip(norm, 0, max_value) / (epsilon + norm).
class MaxNorm final : public Constraint {
 public:
  explicit MaxNorm(MaxNormOptions options = {});
  std::string class_name() const override { return "MaxNorm"; }
  void apply(Matrix& w, const Shape& shape) const override;
  nlohmann::json config() const override;

 private:
  MaxNormOptions options_;
};

/// Zeroes negative entries.
class NonNeg final : public Constraint {
 public:
  std::string class_name() const override { return "NonNeg"; }
  void apply(Matrix& w, const Shape& shape) const override;
  nlohmann::json config() const override;
};

struct UnitNormOptions {
  Axes axis = {0};
};
/// Divides each slice by (epsilon + its norm).
class UnitNorm final : public Constraint {
 public:
  explicit UnitNorm(UnitNormOptions options = {});
  std::string class_name() const override { return "UnitNorm"; }
  void apply(Matrix& w, const Shape& shape) const override;
  nlohmann::json config() const override;

 private:
  UnitNormOptions options_;
};

struct MinMaxNormOptions {
  double min_value = 0.0;
  double max_value = 1.0;
  double rate = 1.0;
  Axes axis = {0};
};
/// Moves each slice's norm toward [min_value, max_value]: desired = rate * clip(norm) + (1 - rate) * norm.
class MinMaxNorm final : public Constraint {
 public:
  explicit MinMaxNorm(MinMaxNormOptions options = {});
  std::string class_name() const override { return "MinMaxNorm"; }
  void apply(Matrix& w, const Shape& shape) const override;
  nlohmann::json config() const override;

 private:
  MinMaxNormOptions options_;
};

/// "max_norm", "non_neg", "unit_norm", "min_max_norm" (Keras's names, default options) or a constraint object.
using ConstraintId = Identifier<Constraint>;

std::shared_ptr<Constraint> get_constraint(const ConstraintId& id);
/// From {"class_name": "MaxNorm", "config": {"max_value": 2, "axis": 0}} or a name.
std::shared_ptr<Constraint> constraint_from_json(const nlohmann::json& value, const std::string& where);

/// How a constraint is made from its config (read strictly).
using ConstraintFactory = std::function<std::shared_ptr<Constraint>(ConfigReader&)>;
/// Adds a constraint class of the user's, as Keras's register_keras_serializable: configs and saved models naming it
/// then load. `class_name` must be what the class's class_name() returns; `aliases` are its string names
/// ("max_norm"-style). A name already registered is an error. Register before loading, not during.
void register_constraint(const std::string& class_name, std::vector<std::string> aliases, ConstraintFactory factory);

}  // namespace descent::nn
