// Weight regularizers with Keras 3's formulas (keras/src/regularizers): penalties added to the loss.
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

/// A penalty on a weight or on a layer's output, added to the batch loss as Keras adds layer losses.
class Regularizer : public Serializable {
 public:
  /// The penalty for `w`, accumulated in double.
  virtual double value(const Matrix& w) const = 0;
  /// grad += d value / d w (sign(0) = 0 for L1, as Keras's ops.sign).
  virtual void add_gradient(const Matrix& w, Matrix& grad) const = 0;
};

struct L1L2Options {
  double l1 = 0.0;
  double l2 = 0.0;
};

/// l1 * sum |w| + l2 * sum w^2; L1 and L2 are the one-term cases with Keras's 0.01 defaults.
class L1L2 : public Regularizer {
 public:
  explicit L1L2(L1L2Options options = {});
  std::string class_name() const override { return "L1L2"; }
  double value(const Matrix& w) const override;
  void add_gradient(const Matrix& w, Matrix& grad) const override;
  nlohmann::json config() const override;
  const L1L2Options& options() const { return options_; }

 protected:
  L1L2Options options_;
};

class L1 final : public L1L2 {
 public:
  explicit L1(double l1 = 0.01) : L1L2({.l1 = l1}) {}
  std::string class_name() const override { return "L1"; }
  nlohmann::json config() const override;
};

class L2 final : public L1L2 {
 public:
  explicit L2(double l2 = 0.01) : L1L2({.l2 = l2}) {}
  std::string class_name() const override { return "L2"; }
  nlohmann::json config() const override;
};

/// "l1", "l2", "l1_l2" (Keras's names, default factors) or a regularizer object.
using RegularizerId = Identifier<Regularizer>;

std::shared_ptr<Regularizer> get_regularizer(const RegularizerId& id);
/// From {"class_name": "L2", "config": {"l2": 0.01}} (Keras 2/3; TF.js writes L1L2) or a name.
std::shared_ptr<Regularizer> regularizer_from_json(const nlohmann::json& value, const std::string& where);

/// How a regularizer is made from its config (read strictly).
using RegularizerFactory = std::function<std::shared_ptr<Regularizer>(ConfigReader&)>;
/// Adds a regularizer class of the user's, as Keras's register_keras_serializable: configs and saved models naming it
/// then load. `class_name` must be what the class's class_name() returns; `aliases` are its string names
/// ("l2"-style). A name already registered is an error. Register before loading, not during.
void register_regularizer(const std::string& class_name, std::vector<std::string> aliases, RegularizerFactory factory);

}  // namespace descent::nn
