// BinaryCrossentropy: Keras's documented values, label smoothing, logits form, saturation, gradients, target checks.
#include "support/matrices.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

using descent::testing::matrix;

using namespace descent;
using losses::BinaryCrossentropy;

namespace {

constexpr double kValueEps = std::is_same_v<Scalar, double> ? 1e-12 : 1e-6;

Matrix sigmoid(const Matrix& z) { return (Scalar(1) + (-z.array()).exp()).inverse().matrix(); }

Matrix gradient(const losses::Loss& loss, const Matrix& y_true, const Matrix& y_pred) {
  Matrix g;
  loss.gradient(y_true, y_pred, g);
  return g;
}

}  // namespace

TEST_CASE("BinaryCrossentropy: Keras's documented example gives 0.815") {
  // Keras docs: y_true = [[0, 1], [0, 0]], y_pred = [[0.6, 0.4], [0.4, 0.6]].
  // Sample 1: -(log(1 - 0.6) + log(0.4)) / 2 = -log(0.4) = 0.916290731874155.
  // Sample 2: -(log(1 - 0.4) + log(1 - 0.6)) / 2 = (0.510825623766 + 0.916290731874) / 2 = 0.713558177820.
  // Batch mean: 0.814924454847114 (Keras prints 0.815; per sample [0.916, 0.714]).
  Matrix y_true = matrix({{0, 1}, {0, 0}});
  Matrix y_pred = matrix({{0.6, 0.4}, {0.4, 0.6}});
  BinaryCrossentropy loss;
  CHECK(loss.value(y_true, y_pred) == doctest::Approx(0.814924454847114).epsilon(kValueEps));
  CHECK(loss.sum(y_true.topRows(1), y_pred.topRows(1)) == doctest::Approx(0.916290731874155).epsilon(kValueEps));
  CHECK(loss.sum(y_true.bottomRows(1), y_pred.bottomRows(1)) ==
        doctest::Approx(0.7135581778200728).epsilon(kValueEps));
  CHECK(loss.sum(y_true, y_pred) == doctest::Approx(0.916290731874155 + 0.7135581778200728).epsilon(kValueEps));
}

TEST_CASE("BinaryCrossentropy from_logits: Keras's documented example gives 0.865") {
  // Keras docs: y_true = [0, 1, 0, 0], logits [-18.6, 0.51, 2.94, -12.8]. Per element max(z,0) - z y + log1p(e^-|z|):
  // 8.3e-9, log1p(e^-0.51) = 0.470307, 2.94 + log1p(e^-2.94) = 2.991540, 2.76e-6; mean 0.865458.
  BinaryCrossentropy loss({.from_logits = true});
  CHECK(loss.value(matrix({{0, 1, 0, 0}}), matrix({{-18.6, 0.51, 2.94, -12.8}})) ==
        doctest::Approx(0.8654579497810972).epsilon(kValueEps));
}

TEST_CASE("BinaryCrossentropy label_smoothing moves targets toward 0.5") {
  // s = 0.2: y -> 0.8 y + 0.1. Sample 1, both elements: -(0.9 log 0.4 + 0.1 log 0.6) = 0.875744221063;
  // sample 2: [-(0.1 log 0.4 + 0.9 log 0.6), -(0.1 log 0.6 + 0.9 log 0.4)] averages to 0.713558177820.
  // Mean 0.794651199441706.
  BinaryCrossentropy loss({.label_smoothing = 0.2});
  CHECK(loss.value(matrix({{0, 1}, {0, 0}}), matrix({{0.6, 0.4}, {0.4, 0.6}})) ==
        doctest::Approx(0.7946511994417056).epsilon(kValueEps));
  // Smoothing 1 makes every target 0.5: the loss is -log(0.5) whatever the label when p = 0.5.
  BinaryCrossentropy full({.label_smoothing = 1.0});
  CHECK(full.value(matrix({{0, 1}}), matrix({{0.5, 0.5}})) == doctest::Approx(std::log(2.0)).epsilon(kValueEps));
  // The logits form smooths the same way.
  BinaryCrossentropy logits({.from_logits = true, .label_smoothing = 0.2});
  CHECK(logits.value(matrix({{0, 1}}), matrix({{0.3, -1.2}})) ==
        doctest::Approx(loss.value(matrix({{0, 1}}), sigmoid(matrix({{0.3, -1.2}})))).epsilon(1e-5));
}

TEST_CASE("BinaryCrossentropy gradients match central differences") {
  Matrix y_true = matrix({{0, 1, 1}, {1, 0, 0}, {0.3, 0.8, 1}});
  Matrix probabilities = matrix({{0.25, 0.7, 0.4}, {0.55, 0.35, 0.8}, {0.6, 0.45, 0.3}});
  Matrix logits = matrix({{-2.1, 0.7, 1.4}, {0.05, -0.6, 3.2}, {-4.5, 1.1, -0.3}});
  for (double smoothing : {0.0, 0.1}) {
    CAPTURE(smoothing);
    double prob_error = testing::check_loss_gradient(BinaryCrossentropy({.label_smoothing = smoothing}), y_true,
                                                     probabilities);
    double logit_error = testing::check_loss_gradient(
        BinaryCrossentropy({.from_logits = true, .label_smoothing = smoothing}), y_true, logits);
    CAPTURE(prob_error);
    CAPTURE(logit_error);
    CHECK(prob_error < testing::kTolerance);
    CHECK(logit_error < testing::kTolerance);
  }
}

TEST_CASE("BinaryCrossentropy: the fused logits form equals the probability form where nothing saturates") {
  Matrix y_true = matrix({{0, 1}, {1, 1}, {0, 0}});
  Matrix z = matrix({{-1.5, 0.4}, {2.2, -0.7}, {0.9, -3.0}});
  Matrix p = sigmoid(z);
  BinaryCrossentropy probs;
  auto logits = probs.logits_form();
  CHECK(probs.fusable_activation() == "sigmoid");
  CHECK(logits->fusable_activation().empty());
  CHECK(logits->value(y_true, z) == doctest::Approx(probs.value(y_true, p)).epsilon(1e-5));
  // Chain rule through the sigmoid: dL/dz = dL/dp * p (1 - p), which the fused form gives as (p - y) / n.
  Matrix through_sigmoid = (gradient(probs, y_true, p).array() * p.array() * (1 - p.array())).matrix();
  CHECK(testing::relative_error(gradient(*logits, y_true, z), through_sigmoid) < 1e-4);
  Matrix fused = ((p - y_true) / Scalar(6)).matrix();  // 3 samples x 2 outputs
  CHECK(testing::relative_error(gradient(*logits, y_true, z), fused) < 1e-6);
}

TEST_CASE("BinaryCrossentropy: saturated inputs stay finite and the clipped region has zero gradient") {
  Matrix y_true = matrix({{0, 1}, {1, 0}});
  Matrix z = matrix({{100, -100}, {100, -100}});
  Matrix p = sigmoid(z);  // exactly 1 and ~3.7e-44 (0 in float)
  BinaryCrossentropy probs;
  double value = probs.value(y_true, p);
  CHECK(std::isfinite(value));
  // Row 0 is wrong twice, row 1 right twice; the clip bounds are in the working precision. p = 1 with y = 0 costs
  // -log(1 - upper): 15.942385 in float (1 - 1e-7 rounds to 0.99999988), 16.118096 in double. p = 0 with y = 1 costs
  // -log(1e-7) = 16.118096 (float's 1e-7 is 1.0000000117e-7: 16.1180956). A right answer costs ~1e-7.
  const double wrong_high = std::is_same_v<Scalar, float> ? 15.942385152878742 : 16.11809565095832;
  const double wrong_low = std::is_same_v<Scalar, float> ? 16.118095639272223 : 16.11809565095832;
  CHECK(value == doctest::Approx((wrong_high + wrong_low) / 4).epsilon(1e-6));
  Matrix g = gradient(probs, y_true, p);
  CHECK(g.allFinite());
  CHECK(g.isZero());
  // Exactly 0 and 1 lie outside [1e-7, 1 - 1e-7]: the value does not move with them.
  CHECK(probs.value(y_true, matrix({{1, 0}, {1, 0}})) == doctest::Approx(value).epsilon(1e-6));
  CHECK(gradient(probs, y_true, matrix({{1, 0}, {0, 1}})).isZero());
  CHECK(gradient(probs, y_true, matrix({{1e-9, 0.5}, {0.5, 0.5}}))(0, 0) == 0);

  auto logits = probs.logits_form();
  CHECK(logits->value(y_true, z) == doctest::Approx(100.0 / 2).epsilon(1e-6));  // |z| = 100 for each wrong element
  Matrix gz = gradient(*logits, y_true, z);
  CHECK(gz.allFinite());
  CHECK(gz(0, 0) == doctest::Approx(1.0 / 4));
  CHECK(gz(0, 1) == doctest::Approx(-1.0 / 4));
  CHECK(std::abs(gz(1, 0)) < 1e-20);
}

TEST_CASE("BinaryCrossentropy checks shapes, targets and options") {
  BinaryCrossentropy loss;
  CHECK_THROWS_WITH_AS(loss.value(matrix({{0}, {1}}), matrix({{0.5, 0.5}, {0.5, 0.5}})),
                       doctest::Contains("BinaryCrossentropy: expected y_true of 2 x 2 for y_pred of 2 x 2; received "
                                         "y_true of 2 x 1"),
                       Error);
  CHECK_THROWS_WITH_AS(loss.check_targets(matrix({{0, 1.5}}), 2, "fit: y"),
                       doctest::Contains("fit: y: binary cross-entropy expects targets in [0, 1]; received 1.5 at row 0, "
                                         "column 1"),
                       Error);
  CHECK_THROWS_WITH_AS(loss.check_targets(matrix({{-0.1}}), 1, "fit: y"), doctest::Contains("received -0.1"), Error);
  CHECK_THROWS_WITH_AS(loss.check_targets(matrix({{std::nan("")}}), 1, "fit: y"), doctest::Contains("[0, 1]"), Error);
  CHECK_THROWS_WITH_AS(loss.check_targets(matrix({{0, 1}}), 1, "fit: y"),
                       doctest::Contains("expects 1 target column(s) for a model with 1 output(s); received y with 2"),
                       Error);
  CHECK_NOTHROW(loss.check_targets(matrix({{0, 1}, {0.25, 1}}), 2, "fit: y"));
  CHECK_THROWS_WITH_AS(BinaryCrossentropy({.label_smoothing = 1.5}),
                       doctest::Contains("expected label_smoothing in [0, 1]; received label_smoothing=1.5"), Error);
  CHECK_THROWS_WITH_AS(BinaryCrossentropy({.label_smoothing = -0.1}), doctest::Contains("label_smoothing"), Error);
}

TEST_CASE("BinaryCrossentropy names and config") {
  BinaryCrossentropy loss({.label_smoothing = 0.1});
  CHECK(loss.class_name() == "BinaryCrossentropy");
  CHECK(loss.name() == "binary_crossentropy");
  CHECK(loss.target_columns(3) == 3);
  auto c = loss.config();
  CHECK(c["from_logits"] == false);
  CHECK(c["label_smoothing"] == 0.1);
  CHECK(c["reduction"] == "sum_over_batch_size");
  auto logits = loss.logits_form();
  CHECK(dynamic_cast<BinaryCrossentropy&>(*logits).options().label_smoothing == 0.1);
  CHECK(dynamic_cast<BinaryCrossentropy&>(*logits).options().from_logits);
}
