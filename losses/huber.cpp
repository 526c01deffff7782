// Huber loss (Keras 3 keras/src/losses/losses.py, huber): the branch test is |e| <= delta, as Keras's ops.where.
#include "huber.hpp"

#include <descent/losses/detail/elementwise_math.hpp>

#include <descent/core/error.hpp>

#include <descent/core/config.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::losses {

Huber::Huber(HuberOptions options) : options_(options) {
  check(options_.delta > 0 && std::isfinite(options_.delta),
        "Huber: delta must be a positive number. Expected delta > 0; received delta=", options_.delta, ".");
}

double Huber::weighted_sum(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights) const {
  check_shapes(y_true, y_pred);
  const double d = options_.delta;
  return sum_of_terms(y_true, y_pred, weights, static_cast<double>(y_pred.cols()), [d](double t, Scalar p) {
    double e = std::abs(p - t);
    return e <= d ? 0.5 * e * e : d * e - 0.5 * d * d;
  });
}

void Huber::gradient(const Matrix& y_true, const Matrix& y_pred, Matrix& grad) const {
  check_shapes(y_true, y_pred);
  const double d = options_.delta;
  gradient_of_terms(y_true, y_pred, static_cast<double>(y_pred.cols()), grad, [d](double t, Scalar p) {
    double e = p - t;
    return std::abs(e) <= d ? e : (e > 0 ? d : -d);
  });
}

nlohmann::json Huber::config() const {
  auto c = with_fields(Loss::config(), options_);
  c["name"] = "huber_loss";  // Keras's Huber class default name, unlike its function name "huber"
  return c;
}

}  // namespace descent::losses
