// SparseCategoricalCrossentropy: Keras's documented value, logits form, gradients, label checks.
#include "support/matrices.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>

using descent::testing::matrix;

using namespace descent;
using losses::SparseCategoricalCrossentropy;

namespace {

constexpr double kValueEps = std::is_same_v<Scalar, double> ? 1e-12 : 1e-6;

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

TEST_CASE("SparseCategoricalCrossentropy: Keras's documented example gives 1.177") {
  // Keras docs: y_true = [1, 2], y_pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]].
  // Keras clips y_pred to [1e-7, 1 - 1e-7] and takes -log(q_label / sum q):
  // sample 1: -log(0.95 / 1.0000001) = 0.051293394; sample 2: -log(0.1 / 1) = 2.302585093; mean 1.176939244.
  Matrix y_true = matrix({{1}, {2}});
  Matrix y_pred = matrix({{0.05, 0.95, 0}, {0.1, 0.8, 0.1}});
  SparseCategoricalCrossentropy loss;
  CHECK(loss.target_columns(3) == 1);
  CHECK(loss.value(y_true, y_pred) == doctest::Approx(1.1769392436907955).epsilon(kValueEps));
}

TEST_CASE("SparseCategoricalCrossentropy equals CategoricalCrossentropy on the one-hot targets") {
  Matrix labels = matrix({{2}, {0}, {1}});
  Matrix one_hot = matrix({{0, 0, 1}, {1, 0, 0}, {0, 1, 0}});
  Matrix z = matrix({{-1.2, 0.8, 0.1}, {2.3, -0.4, 0.6}, {0.05, -2.2, 1.5}});
  Matrix p = softmax(z);
  SparseCategoricalCrossentropy sparse;
  SparseCategoricalCrossentropy sparse_logits({.from_logits = true});
  losses::CategoricalCrossentropy dense;
  losses::CategoricalCrossentropy dense_logits({.from_logits = true});
  CHECK(sparse.value(labels, p) == doctest::Approx(dense.value(one_hot, p)).epsilon(1e-6));
  CHECK(sparse_logits.value(labels, z) == doctest::Approx(dense_logits.value(one_hot, z)).epsilon(1e-6));
  CHECK(testing::relative_error(gradient(sparse, labels, p), gradient(dense, one_hot, p)) < 1e-5);
  CHECK(testing::relative_error(gradient(sparse_logits, labels, z), gradient(dense_logits, one_hot, z)) < 1e-6);
  // Equal logits over 4 classes: log 4 whatever the label.
  CHECK(sparse_logits.value(matrix({{3}}), matrix({{2, 2, 2, 2}})) == doctest::Approx(std::log(4.0)).epsilon(kValueEps));
}

TEST_CASE("SparseCategoricalCrossentropy gradients match central differences") {
  Matrix labels = matrix({{1}, {0}, {2}});
  Matrix probabilities = matrix({{0.3, 0.5, 0.4}, {0.6, 0.25, 0.35}, {0.45, 0.7, 0.2}});  // rows not normalised
  Matrix logits = matrix({{-1.2, 0.8, 0.1}, {2.3, -0.4, 0.6}, {0.05, -2.2, 1.5}});
  double prob_error = testing::check_loss_gradient(SparseCategoricalCrossentropy(), labels, probabilities);
  double logit_error =
      testing::check_loss_gradient(SparseCategoricalCrossentropy({.from_logits = true}), labels, logits);
  CAPTURE(prob_error);
  CAPTURE(logit_error);
  CHECK(prob_error < testing::kTolerance);
  CHECK(logit_error < testing::kTolerance);
}

TEST_CASE("SparseCategoricalCrossentropy: fused logits form equals the probability form; saturation is finite") {
  Matrix labels = matrix({{1}, {0}});
  Matrix z = matrix({{0.4, -0.3, 1.1}, {-0.8, 0.2, 0.6}});
  Matrix p = softmax(z);
  SparseCategoricalCrossentropy probs;
  auto logits = probs.logits_form();
  CHECK(probs.fusable_activation() == "softmax");
  CHECK(logits->value(labels, z) == doctest::Approx(probs.value(labels, p)).epsilon(1e-5));
  Matrix expected = p;  // (softmax - one_hot) / n
  expected(0, 1) -= 1;
  expected(1, 0) -= 1;
  CHECK(testing::relative_error(gradient(*logits, labels, z), (expected / Scalar(2)).matrix()) < 1e-6);

  Matrix saturated = softmax(matrix({{100, -100, 0}, {-1000, 1000, 0}}));
  double v = probs.value(labels, saturated);
  CHECK(std::isfinite(v));
  // Row 0's label p ~ 0 is clipped to 1e-7 (sum ~ 1 + 1e-7): -log(1e-7) = 16.118; row 1's label is likewise ~0.
  CHECK(v == doctest::Approx(16.11809565095832).epsilon(1e-6));
  Matrix g = gradient(probs, labels, saturated);
  CHECK(g.allFinite());
  CHECK(g(0, 1) == 0);  // clipped: zero gradient rather than -1/p
  CHECK(logits->value(labels, matrix({{100, -100, 0}, {-1000, 1000, 0}})) == doctest::Approx((200 + 2000) / 2.0));
}

TEST_CASE("SparseCategoricalCrossentropy rejects labels that are not integers in range") {
  SparseCategoricalCrossentropy loss;
  Matrix p = matrix({{0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}});
  CHECK_THROWS_WITH_AS(loss.value(matrix({{1.5}, {0}}), p),
                       doctest::Contains("SparseCategoricalCrossentropy: expected an integer label in [0, 3); received "
                                         "1.5 at row 0"),
                       Error);
  CHECK_THROWS_WITH_AS(loss.value(matrix({{0}, {3}}), p), doctest::Contains("received 3 at row 1"), Error);
  CHECK_THROWS_WITH_AS(loss.value(matrix({{-1}, {0}}), p), doctest::Contains("received -1 at row 0"), Error);
  Matrix g;
  CHECK_THROWS_WITH_AS(loss.gradient(matrix({{0}, {2.5}}), p, g), doctest::Contains("received 2.5 at row 1"), Error);
  CHECK_THROWS_WITH_AS(loss.check_targets(matrix({{0}, {2.5}}), 3, "fit: y"),
                       doctest::Contains("fit: y: sparse categorical cross-entropy expects integer labels in [0, 3) for "
                                         "3 outputs; received 2.5 at row 1"),
                       Error);
  CHECK_THROWS_WITH_AS(loss.check_targets(matrix({{0}, {3}}), 3, "fit: y"), doctest::Contains("received 3 at row 1"),
                       Error);
  CHECK_THROWS_WITH_AS(loss.check_targets(matrix({{0, 1, 0}}), 3, "fit: y"),
                       doctest::Contains("expects 1 target column(s) for a model with 3 output(s); received y with 3"),
                       Error);
  CHECK_THROWS_WITH_AS(loss.value(matrix({{0, 0, 1}, {1, 0, 0}}), p),
                       doctest::Contains("expected y_true of 2 x 1 for y_pred of 2 x 3"), Error);
  CHECK_NOTHROW(loss.check_targets(matrix({{0}, {2}}), 3, "fit: y"));
}

TEST_CASE("SparseCategoricalCrossentropy names and config") {
  SparseCategoricalCrossentropy loss({.from_logits = true});
  CHECK(loss.class_name() == "SparseCategoricalCrossentropy");
  CHECK(loss.name() == "sparse_categorical_crossentropy");
  CHECK(loss.config()["from_logits"] == true);
  CHECK(loss.config()["ignore_class"].is_null());
  CHECK(loss.fusable_activation().empty());
}
