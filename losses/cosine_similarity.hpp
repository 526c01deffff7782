// CosineSimilarity: -<y_true, y_pred> / (|y_true| |y_pred|) per sample, norms floored at 1e-7 (axis -1).
#pragma once

#include "loss.hpp"

namespace descent::losses {

/// From -1 (same direction) to 1 (opposite); 0 when either vector is zero. One value per sample (a sum over the
/// outputs of the normalized vectors' product, not a mean). Gradient -(a / |p| - <a, p> p / |p|^3) with
/// a = y_true / |y_true|; where |p| <= 1e-7 the loss is linear, -<a, p> / 1e-7.
class CosineSimilarity : public Loss {
 public:
  std::string class_name() const override { return "CosineSimilarity"; }
  std::string name() const override { return "cosine_similarity"; }
  double weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const override;
  void gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const override;
  nlohmann::json config() const override;
};

}  // namespace descent::losses
