// CategoricalCrossentropy: Keras's documented value, normalisation, label smoothing, logits form, gradients, checks.
#include "support/matrices.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>

using descent::testing::matrix;

using namespace descent;
using losses::CategoricalCrossentropy;

namespace {

constexpr double kValueEps = std::is_same_v<Scalar, double> ? 1e-12 : 1e-6;

// Written here rather than taken from nn::get_activation("softmax"), so the comparison is independent.
Matrix softmax(const Matrix& z) {
  Matrix p(z.rows(), z.cols());
  for (Index i = 0; i < z.rows(); ++i) {
    double top = z.row(i).maxCoeff(), total = 0;
    for (Index j = 0; j < z.cols(); ++j) total += std::exp(z(i, j) - top);
    for (Index j = 0; j < z.cols(); ++j) p(i, j) = static_cast<Scalar>(std::exp(z(i, j) - top) / total);
  }
  return p;
}

Matrix gradient(const losses::Loss& loss, const Matrix& y_true, const Matrix& y_pred) {
  Matrix g;
  loss.gradient(y_true, y_pred, g);
  return g;
}

}  // namespace

TEST_CASE("CategoricalCrossentropy: Keras's documented example gives 1.177") {
  // Keras docs: y_true = [[0, 1, 0], [0, 0, 1]], y_pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]].
  // Sample 1: -log(0.95) = 0.051293294387551; sample 2: -log(0.1) = 2.302585092994046; mean 1.176939193690798.
  // (The 0 in sample 1 is clipped to 1e-7 but has target 0, so it adds nothing.)
  Matrix y_true = matrix({{0, 1, 0}, {0, 0, 1}});
  Matrix y_pred = matrix({{0.05, 0.95, 0}, {0.1, 0.8, 0.1}});
  CategoricalCrossentropy loss;
  CHECK(loss.value(y_true, y_pred) == doctest::Approx(1.176939193690798).epsilon(kValueEps));
  CHECK(loss.sum(y_true.topRows(1), y_pred.topRows(1)) == doctest::Approx(0.05129329438755058).epsilon(kValueEps));
}

TEST_CASE("CategoricalCrossentropy sums over classes and renormalises y_pred rows") {
  // Row [1, 3] is read as probabilities [0.25, 0.75]: -log(0.75) = 0.2876820724517809 (summed, not averaged, over
  // the classes: -0 log 0.25 contributes nothing).
  CategoricalCrossentropy loss;
  CHECK(loss.value(matrix({{0, 1}}), matrix({{1, 3}})) == doctest::Approx(0.2876820724517809).epsilon(kValueEps));
  // Soft targets: -(0.5 log 0.25 + 0.5 log 0.75) = 0.836988216;
  CHECK(loss.value(matrix({{0.5, 0.5}}), matrix({{0.25, 0.75}})) ==
        doctest::Approx(-(0.5 * std::log(0.25) + 0.5 * std::log(0.75))).epsilon(kValueEps));
}

TEST_CASE("CategoricalCrossentropy label_smoothing spreads s over the classes") {
  // s = 0.1, 3 classes: y -> 0.9 y + 0.1 / 3. On the documented example, with y_pred's 0 clipped to 1e-7:
  // sample 1: -(1/30 log 0.05 + (0.9 + 1/30) log 0.95 + 1/30 log 1e-7) = 0.684962...,
  // sample 2: -(1/30 log 0.1 + 1/30 log 0.8 + (0.9 + 1/30) log 0.1) = 2.233309...; mean 1.4591358569250876.
  CategoricalCrossentropy loss({.label_smoothing = 0.1});
  CHECK(loss.value(matrix({{0, 1, 0}, {0, 0, 1}}), matrix({{0.05, 0.95, 0}, {0.1, 0.8, 0.1}})) ==
        doctest::Approx(1.4591358569250876).epsilon(1e-6));
}

TEST_CASE("CategoricalCrossentropy from logits") {
  // Equal logits over 3 classes: softmax = 1/3 each, loss log 3.
  CategoricalCrossentropy loss({.from_logits = true});
  CHECK(loss.value(matrix({{1, 0, 0}}), matrix({{0.5, 0.5, 0.5}})) == doctest::Approx(std::log(3.0)).epsilon(kValueEps));
  // Large logits: logsumexp shifts by the max, so nothing overflows.
  Matrix big = matrix({{1000, -1000, 0}, {-1000, 1000, 999}});
  Matrix y = matrix({{0, 1, 0}, {0, 0, 1}});
  double v = loss.value(y, big);
  // Sample 1: 2000 (z_max - z_label). Sample 2: log(e^1000 + e^999) - 999 = 1 + log(1 + e^-1) = 1.3132616875.
  CHECK(v == doctest::Approx((2000 + 1.3132616875182228) / 2).epsilon(1e-6));
  CHECK(gradient(loss, y, big).allFinite());
}

TEST_CASE("CategoricalCrossentropy gradients match central differences") {
  Matrix y_true = matrix({{0, 1, 0}, {1, 0, 0}, {0.2, 0.3, 0.5}});
  // Rows deliberately not summing to 1, so the renormalisation's derivative is checked too.
  Matrix probabilities = matrix({{0.3, 0.5, 0.4}, {0.6, 0.25, 0.35}, {0.45, 0.7, 0.2}});
  Matrix logits = matrix({{-1.2, 0.8, 0.1}, {2.3, -0.4, 0.6}, {0.05, -2.2, 1.5}});
  for (double smoothing : {0.0, 0.2}) {
    CAPTURE(smoothing);
    double prob_error = testing::check_loss_gradient(CategoricalCrossentropy({.label_smoothing = smoothing}), y_true,
                                                     probabilities);
    double logit_error = testing::check_loss_gradient(
        CategoricalCrossentropy({.from_logits = true, .label_smoothing = smoothing}), y_true, logits);
    CAPTURE(prob_error);
    CAPTURE(logit_error);
    CHECK(prob_error < testing::kTolerance);
    CHECK(logit_error < testing::kTolerance);
  }
  // Targets whose mass is not 1 (the logits gradient is softmax * sum(y) - y).
  double unnormalised = testing::check_loss_gradient(CategoricalCrossentropy({.from_logits = true}),
                                                     matrix({{0.5, 1, 0.25}}), matrix({{0.3, -0.7, 1.1}}));
  CHECK(unnormalised < testing::kTolerance);
}

TEST_CASE("CategoricalCrossentropy: the fused logits form equals the probability form where nothing saturates") {
  Matrix y_true = matrix({{0, 1, 0}, {1, 0, 0}, {0, 0, 1}});
  Matrix z = matrix({{-1.2, 0.8, 0.1}, {2.3, -0.4, 0.6}, {0.05, -2.2, 1.5}});
  Matrix p = softmax(z);
  CategoricalCrossentropy probs;
  auto logits = probs.logits_form();
  CHECK(probs.fusable_activation() == "softmax");
  CHECK(logits->fusable_activation().empty());
  CHECK(logits->value(y_true, z) == doctest::Approx(probs.value(y_true, p)).epsilon(1e-5));
  // Through the softmax Jacobian: dL/dz_j = p_j (g_j - sum_k g_k p_k); the fused form is (p - y) / n.
  Matrix gp = gradient(probs, y_true, p);
  Matrix through(3, 3);
  for (Index i = 0; i < 3; ++i) {
    double dot = gp.row(i).dot(p.row(i));
    for (Index j = 0; j < 3; ++j) through(i, j) = static_cast<Scalar>(p(i, j) * (gp(i, j) - dot));
  }
  Matrix gz = gradient(*logits, y_true, z);
  CHECK(testing::relative_error(gz, through) < 1e-4);
  CHECK(testing::relative_error(gz, ((p - y_true) / Scalar(3)).matrix()) < 1e-5);
}

TEST_CASE("CategoricalCrossentropy: saturated softmax outputs stay finite") {
  Matrix y_true = matrix({{0, 1, 0}, {1, 0, 0}});
  Matrix p = softmax(matrix({{100, -100, 0}, {100, -100, 0}}));  // [1, ~0, ~0]
  CategoricalCrossentropy probs;
  double v = probs.value(y_true, p);
  CHECK(std::isfinite(v));
  // Row 0's label has p ~ 1e-87 (0 in float), clipped to 1e-7: -log(1e-7) = 16.118; row 1 is right: ~1e-7.
  CHECK(v == doctest::Approx(16.11809565095832 / 2).epsilon(1e-6));
  Matrix g = gradient(probs, y_true, p);
  CHECK(g.allFinite());
  // The clipped label entry passes no gradient of its own (-y/q would be ~1e87); only the normalisation remains.
  CHECK(std::abs(g(0, 1)) < 10);
}

TEST_CASE("CategoricalCrossentropy checks shapes, targets and options") {
  CategoricalCrossentropy loss;
  CHECK_THROWS_WITH_AS(loss.value(matrix({{0, 1}}), matrix({{0.5, 0.25, 0.25}})),
                       doctest::Contains("CategoricalCrossentropy: expected y_true of 1 x 3"), Error);
  CHECK_THROWS_WITH_AS(loss.check_targets(matrix({{0, 2, 0}}), 3, "fit: y"),
                       doctest::Contains("fit: y: categorical cross-entropy expects one-hot or probability targets in "
                                         "[0, 1]; received 2 at row 0, column 1"),
                       Error);
  CHECK_THROWS_WITH_AS(loss.check_targets(matrix({{0, 2, 0}}), 3, "fit: y"),
                       doctest::Contains("use sparse_categorical_crossentropy"), Error);
  CHECK_THROWS_WITH_AS(loss.check_targets(matrix({{2}}), 3, "fit: y"),
                       doctest::Contains("expects 3 target column(s) for a model with 3 output(s); received y with 1"),
                       Error);
  CHECK_NOTHROW(loss.check_targets(matrix({{0, 1, 0}, {0.2, 0.3, 0.5}}), 3, "fit: y"));
  CHECK_THROWS_WITH_AS(CategoricalCrossentropy({.label_smoothing = 2}),
                       doctest::Contains("CategoricalCrossentropy: expected label_smoothing in [0, 1]"), Error);
  CHECK(loss.class_name() == "CategoricalCrossentropy");
  CHECK(loss.name() == "categorical_crossentropy");
  CHECK(loss.config()["label_smoothing"] == 0.0);
  auto logits = CategoricalCrossentropy({.label_smoothing = 0.3}).logits_form();
  CHECK(dynamic_cast<CategoricalCrossentropy&>(*logits).options().label_smoothing == 0.3);
}
