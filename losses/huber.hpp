// Huber: mean over outputs of 0.5 e^2 where |e| <= delta, else delta (|e| - delta / 2), with e = y_pred - y_true.
#pragma once

#include "loss.hpp"

#include <descent/core/config.hpp>

namespace descent::losses {

struct HuberOptions {
  double delta = 1.0;  ///< where the loss turns from quadratic to linear; > 0

  /// The Keras config keys, for from_config and config().
  DESCENT_FIELDS(delta);
};

/// Keras's huber (class default name "huber_loss"). Gradient e where |e| <= delta, else delta sign(e).
class Huber : public Loss {
 public:
  explicit Huber(HuberOptions options = {});

  std::string class_name() const override { return "Huber"; }
  std::string name() const override { return "huber"; }
  double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const override;
  void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const override;
  nlohmann::json config() const override;
  const HuberOptions& options() const { return options_; }

 private:
  HuberOptions options_;
};

}  // namespace descent::losses
