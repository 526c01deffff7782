// Sequential end to end: convergence, seeded determinism, and the gradient a training step applies.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>

#include "support/gradient_check.hpp"

using namespace descent;

namespace {

bool same_weights(const std::vector<Matrix>& a, const std::vector<Matrix>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].rows() != b[i].rows() || a[i].cols() != b[i].cols() || a[i] != b[i]) return false;
  return true;
}

// A fixed, well-spread batch: every entry differs, none is 0, so no unit sits on a kink or a plateau.
Matrix sample_inputs(Index rows, Index cols, std::uint64_t seed) {
  Rng rng(seed);
  Matrix x(rows, cols);
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<Scalar>(2.0 * uniform01(rng) - 1.0);
  return x;
}

}  // namespace

TEST_CASE("XOR reaches 100% accuracy") {
  Matrix x(4, 2), y(4, 1);
  x << 0, 0, 0, 1, 1, 0, 1, 1;
  y << 0, 1, 1, 0;
  nn::Sequential model({.seed = 1});
  model.add(nn::Dense(8, {.activation = "tanh", .input_dim = 2}));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));
  model.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.5, .momentum = 0.9}), {"accuracy"});
  model.fit(x, y, {.epochs = 300, .batch_size = 4, .verbose = 0});

  CHECK(model.evaluate(x, y)["accuracy"] == 1.0);
  Matrix p = model.predict(x);
  for (Index i = 0; i < 4; ++i) CHECK((p(i, 0) > Scalar(0.5)) == (y(i, 0) == 1));
}

TEST_CASE("the breast-cancer classifier reaches at least 95% test accuracy") {
  auto [x, y] = data::read_csv(DESCENT_DATASETS "/breast_cancer.csv", {.label = "malignant"});
  REQUIRE(x.rows() == 569);
  REQUIRE(x.cols() == 30);
  auto [train, test] = data::train_test_split(x, y, {.test_size = 0.2, .seed = 7, .stratify = true});
  data::StandardScaler scaler;
  scaler.fit(train.x);

  nn::Sequential model;
  model.add(nn::Input(30));
  model.add(nn::Dense(16, {.activation = "relu"}));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));
  model.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.05, .momentum = 0.9}), {"accuracy"});
  nn::History h = model.fit(scaler.transform(train.x), train.y,
                            {.epochs = 50, .batch_size = 32, .validation_split = 0.1, .verbose = 0});
  CHECK(h.size() == 50);
  nn::Logs scores = model.evaluate(scaler.transform(test.x), test.y);
  CHECK(scores["accuracy"] >= 0.95);
  CHECK(h["loss"].back() < h["loss"].front());
}

TEST_CASE("the same seed gives bit-identical weights; another seed gives different ones") {
  Matrix x = sample_inputs(40, 3, 5);
  Matrix y(40, 1);
  for (Index i = 0; i < 40; ++i) y(i, 0) = x(i, 0) + x(i, 1) * x(i, 2) > 0 ? 1 : 0;

  auto train = [&](std::uint64_t seed) {
    nn::Sequential model({.seed = seed});
    model.add(nn::Input(3));
    model.add(nn::Dense(6, {.activation = "relu"}));
    model.add(nn::Dense(1, {.activation = "sigmoid"}));
    model.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.1, .momentum = 0.9}), {"accuracy"});
    model.fit(x, y, {.epochs = 5, .batch_size = 8, .shuffle = true, .verbose = 0});
    return model.get_weights();
  };
  auto a = train(123);
  auto b = train(123);
  auto c = train(124);
  REQUIRE(a.size() == 4);
  CHECK(same_weights(a, b));
  CHECK_FALSE(same_weights(a, c));
  for (std::size_t i = 0; i < a.size(); i += 2) CHECK(a[i] != c[i]);  // every kernel differs, not just one

  nn::Sequential fresh_a({.seed = 1}), fresh_b({.seed = 2});
  for (auto* m : {&fresh_a, &fresh_b}) {
    m->add(nn::Input(3));
    m->add(nn::Dense(4));
    m->build(3);
  }
  CHECK(fresh_a.get_weights()[0] != fresh_b.get_weights()[0]);
}

TEST_CASE("predict gives the same outputs whatever its batch size") {
  nn::Sequential model({.seed = 3});
  model.add(nn::Input(4));
  model.add(nn::Dense(5, {.activation = "tanh"}));
  model.add(nn::Dense(2, {.activation = "softmax"}));
  Matrix x = sample_inputs(11, 4, 8);
  Matrix whole = model.predict(x, {.batch_size = 100});
  Matrix pieces = model.predict(x, {.batch_size = 3});
  // Equal up to rounding: Eigen may sum a product in another order for another row count.
  CHECK((whole - pieces).cwiseAbs().maxCoeff() < 1e-6);
  for (Index i = 0; i < x.rows(); ++i) CHECK(whole.row(i).sum() == doctest::Approx(1.0));
}

// With plain SGD and learning_rate = 1, one train_on_batch on the full data moves every weight by exactly minus
// the gradient the model computed. That gradient must equal central differences of the loss evaluate() reports,
// and evaluate()'s loss must equal the textbook formula computed here from predict().
namespace {

struct GradientCase {
  const char* name;
  const char* output_activation;
  const char* loss;
  Index outputs;
  std::function<Matrix(Index rows, Rng&)> targets;
  std::function<double(const Matrix& y, const Matrix& p)> reference_loss;  // batch mean, from probabilities
};

double bce(const Matrix& y, const Matrix& p) {
  double total = 0;
  for (Index i = 0; i < p.rows(); ++i)
    for (Index j = 0; j < p.cols(); ++j)
      total -= (y(i, j) * std::log(double(p(i, j))) + (1 - y(i, j)) * std::log(1 - double(p(i, j)))) / double(p.cols());
  return total / double(p.rows());
}

double cce(const Matrix& y, const Matrix& p) {
  double total = 0;
  for (Index i = 0; i < p.rows(); ++i)
    for (Index j = 0; j < p.cols(); ++j) total -= y(i, j) * std::log(double(p(i, j)));
  return total / double(p.rows());
}

double scce(const Matrix& y, const Matrix& p) {
  double total = 0;
  for (Index i = 0; i < p.rows(); ++i) total -= std::log(double(p(i, static_cast<Index>(y(i, 0)))));
  return total / double(p.rows());
}

double mse(const Matrix& y, const Matrix& p) {
  double total = 0;
  for (Index i = 0; i < p.rows(); ++i)
    for (Index j = 0; j < p.cols(); ++j) total += std::pow(double(p(i, j)) - y(i, j), 2) / double(p.cols());
  return total / double(p.rows());
}

Matrix soft_binary(Index rows, Index cols, Rng& rng) {
  Matrix y(rows, cols);
  for (Index i = 0; i < y.size(); ++i) y.data()[i] = static_cast<Scalar>(uniform01(rng));  // soft targets too
  return y;
}

Matrix one_hot(Index rows, Index cols, Rng& rng) {
  Matrix y = Matrix::Zero(rows, cols);
  for (Index i = 0; i < rows; ++i) y(i, static_cast<Index>(uniform_index(static_cast<std::uint64_t>(cols), rng))) = 1;
  return y;
}

Matrix labels(Index rows, Index classes, Rng& rng) {
  Matrix y(rows, 1);
  for (Index i = 0; i < rows; ++i)
    y(i, 0) = static_cast<Scalar>(uniform_index(static_cast<std::uint64_t>(classes), rng));
  return y;
}

Matrix regression(Index rows, Index cols, Rng& rng) {
  Matrix y(rows, cols);
  for (Index i = 0; i < y.size(); ++i) y.data()[i] = static_cast<Scalar>(1.6 * uniform01(rng) - 0.8);
  return y;
}

}  // namespace

TEST_CASE("the gradient a training step applies equals finite differences of evaluate()'s loss") {
  const std::vector<GradientCase> cases = {
      {"sigmoid + binary_crossentropy (fused)", "sigmoid", "binary_crossentropy", 2,
       [](Index n, Rng& r) { return soft_binary(n, 2, r); }, bce},
      {"softmax + categorical_crossentropy (fused)", "softmax", "categorical_crossentropy", 3,
       [](Index n, Rng& r) { return one_hot(n, 3, r); }, cce},
      {"softmax + sparse_categorical_crossentropy (fused)", "softmax", "sparse_categorical_crossentropy", 3,
       [](Index n, Rng& r) { return labels(n, 3, r); }, scce},
      {"tanh + mean_squared_error", "tanh", "mean_squared_error", 2,
       [](Index n, Rng& r) { return regression(n, 2, r); }, mse},
      {"sigmoid + mean_squared_error (sigmoid not fused)", "sigmoid", "mse", 1,
       [](Index n, Rng& r) { return soft_binary(n, 1, r); }, mse},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const Index n = 7;
    Matrix x = sample_inputs(n, 3, 21);
    Rng rng(99);
    Matrix y = c.targets(n, rng);

    nn::Sequential model({.seed = 17});
    model.add(nn::Input(3));
    model.add(nn::Dense(4, {.activation = "tanh"}));
    model.add(nn::Dense(c.outputs, {.activation = c.output_activation}));
    model.compile(c.loss, optim::SGD({.learning_rate = 1.0}));
    const std::vector<Matrix> before = model.get_weights();

    // evaluate() agrees with the formula, so differentiating it differentiates the real loss.
    double reported = model.evaluate(x, y)["loss"];
    CHECK(reported == doctest::Approx(c.reference_loss(y, model.predict(x))).epsilon(1e-5));

    nn::Logs step = model.train_on_batch(x, y);
    CHECK(step["loss"] == doctest::Approx(reported).epsilon(1e-5));  // logged before the update
    const std::vector<Matrix> after = model.get_weights();

    std::vector<Matrix> probe = before;
    auto loss_at_probe = [&] {
      model.set_weights(probe);
      return model.evaluate(x, y, {.batch_size = 3})["loss"];  // several batches: the size-weighted mean
    };
    for (std::size_t k = 0; k < before.size(); ++k) {
      CAPTURE(k);
      Matrix applied = before[k] - after[k];
      Matrix numeric = testing::numeric_gradient(probe[k], loss_at_probe);
      REQUIRE(applied.norm() > 1e-4);  // the check has something to compare
      CHECK(testing::relative_error(applied, numeric) < testing::kTolerance);
    }
  }
}

TEST_CASE("layers added after an Input are built at once, with the weights a later build would draw") {
  nn::Sequential eager({.seed = 8}), lazy({.seed = 8}), declared({.seed = 8});
  eager.add(nn::Input(3));
  eager.add(nn::Dense(4, {.activation = "relu"}));
  CHECK(eager.built());
  eager.add(nn::Dense(2));
  lazy.add(nn::Dense(4, {.activation = "relu"}));
  lazy.add(nn::Dense(2));
  CHECK_FALSE(lazy.built());
  lazy.build(3);
  declared.add(nn::Dense(4, {.activation = "relu", .input_dim = 3}));
  declared.add(nn::Dense(2));
  CHECK(same_weights(eager.get_weights(), lazy.get_weights()));
  CHECK(same_weights(eager.get_weights(), declared.get_weights()));
  CHECK(eager.count_params() == 3 * 4 + 4 + 4 * 2 + 2);

  // A layer added after a lazy build continues the same stream.
  lazy.add(nn::Dense(1));
  eager.add(nn::Dense(1));
  CHECK(same_weights(eager.get_weights(), lazy.get_weights()));
  CHECK(lazy.predict(Matrix::Ones(2, 3)).cols() == 1);
}

TEST_CASE("adding a layer after compile decides the fused loss again") {
  // Compiled while the last layer was sigmoid (fused binary cross-entropy), then a linear layer goes on top: the
  // loss must now be computed on that layer's outputs, as probabilities.
  nn::Sequential model({.seed = 2});
  model.add(nn::Input(2));
  model.add(nn::Dense(3, {.activation = "sigmoid"}));
  model.compile("binary_crossentropy", "sgd");
  model.add(nn::Dense(1));
  auto w = model.get_weights();
  w[2].setZero();
  w[3].setConstant(Scalar(0.4));  // every output is 0.4
  model.set_weights(w);
  Matrix x = sample_inputs(4, 2, 1), y(4, 1);
  y << 1, 0, 0, 1;
  double expected = -(2 * std::log(0.4) + 2 * std::log(0.6)) / 4;
  CHECK(model.evaluate(x, y)["loss"] == doctest::Approx(expected).epsilon(1e-5));
}
