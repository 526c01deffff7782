// GD: classic gradient descent, one step per pass over the whole training set, stopping at a tolerance.
#pragma once

#include "sgd.hpp"

namespace descent::optim {

/// Field order is API: only append.
struct GDOptions {
  LearningRate learning_rate = 0.01;  ///< a number or a schedule
  double tolerance = 1e-5;  ///< fit stops once a step moves no weight by more than this (0: never)
  double momentum = 0.0;
  bool nesterov = false;
  DESCENT_COMMON_OPTIMIZER_OPTIONS;  ///< weight_decay, clipnorm, clipvalue, global_clipnorm: 0 is off

  DESCENT_FIELDS(tolerance, momentum, nesterov);
};

/// Full-batch SGD: the same update rule, fed the whole training set each step, and converged() once every weight
/// moved by at most `tolerance` in the last step — the stopping rule of textbook gradient descent.
class GD : public SGD {
 public:
  explicit GD(GDOptions options = {});

  std::string class_name() const override { return "GD"; }
  nlohmann::json config() const override;
  bool full_batch() const override { return true; }
  bool converged() const override;
  double tolerance() const { return options_.tolerance; }
  const GDOptions& options() const { return options_; }
  /// Largest |change| of any weight in the last step.
  double largest_update() const { return largest_update_; }

 private:
  GDOptions options_;
};

}  // namespace descent::optim
