// fit / evaluate with sample_weight, class_weight and weighted_metrics, against hand-derived equivalences.
#include <doctest/doctest.h>

#include <descent/descent.hpp>

#include <cmath>

using namespace descent;

namespace {

struct Data {
  Matrix x, y;
};

Data xor_like(Index rows, std::uint64_t seed) {
  Rng rng(seed);
  Data d{Matrix(rows, 2), Matrix(rows, 1)};
  for (Index i = 0; i < rows; ++i) {
    d.x(i, 0) = static_cast<Scalar>(2 * uniform01(rng) - 1);
    d.x(i, 1) = static_cast<Scalar>(2 * uniform01(rng) - 1);
    d.y(i, 0) = d.x(i, 0) * d.x(i, 1) > 0 ? 1 : 0;
  }
  return d;
}

nn::Sequential model_with(double learning_rate, std::vector<metrics::MetricId> weighted = {}) {
  nn::Sequential model({.seed = 7});
  model.add(nn::Input(2));
  model.add(nn::Dense(4, {.activation = "tanh"}));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));
  model.compile("binary_crossentropy", optim::SGD({.learning_rate = learning_rate}), {"accuracy"}, weighted);
  return model;
}

void check_same(const std::vector<Matrix>& a, const std::vector<Matrix>& b, double tolerance) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    for (Index k = 0; k < a[i].size(); ++k) {
      if (tolerance == 0)
        CHECK(a[i].data()[k] == b[i].data()[k]);
      else
        CHECK(a[i].data()[k] == doctest::Approx(b[i].data()[k]).epsilon(tolerance));
    }
}

double bce(double y, double p) {
  p = std::clamp(p, 1e-7, 1 - 1e-7);
  return -(y * std::log(p) + (1 - y) * std::log(1 - p));
}

}  // namespace

TEST_CASE("Doubling every sample weight trains as SGD with twice the learning rate") {
  // Plain SGD: the step is lr * grad and every weight of 2 doubles grad exactly.
  Data d = xor_like(40, 1);
  auto weighted = model_with(0.1);
  auto doubled_rate = model_with(0.2);
  weighted.fit(d.x, d.y, {.epochs = 3, .batch_size = 8, .verbose = 0, .sample_weight = Vector::Constant(40, 2)});
  doubled_rate.fit(d.x, d.y, {.epochs = 3, .batch_size = 8, .verbose = 0});
  check_same(weighted.get_weights(), doubled_rate.get_weights(), 1e-5);
}

TEST_CASE("Samples of weight 0 do not move the weights; the loss still divides by the batch size") {
  // Full-batch GD on 4 rows with weights 1, 1, 0, 0: the gradient is (g0 + g1) / 4, half of the two-row
  // gradient (g0 + g1) / 2, so it trains as the first two rows with half the learning rate.
  Data d = xor_like(4, 2);
  nn::Sequential four({.seed = 3}), two({.seed = 3});
  for (auto* m : {&four, &two}) {
    m->add(nn::Input(2));
    m->add(nn::Dense(3, {.activation = "tanh"}));
    m->add(nn::Dense(1, {.activation = "sigmoid"}));
  }
  four.compile("binary_crossentropy", optim::GD({.learning_rate = 0.4}));
  two.compile("binary_crossentropy", optim::GD({.learning_rate = 0.2}));
  Vector w(4);
  w << 1, 1, 0, 0;
  four.fit(d.x, d.y, {.epochs = 5, .verbose = 0, .sample_weight = w});
  two.fit(d.x.topRows(2), d.y.topRows(2), {.epochs = 5, .verbose = 0});
  check_same(four.get_weights(), two.get_weights(), 1e-5);

  // evaluate: sum(w * loss) / 4 from the model's own predictions.
  Matrix p = four.predict(d.x);
  double expected = 0;
  for (Index i = 0; i < 4; ++i) expected += w(i) * bce(d.y(i, 0), p(i, 0));
  expected /= 4;
  CHECK(four.evaluate(d.x, d.y, {.sample_weight = w}).at("loss") == doctest::Approx(expected).epsilon(1e-5));
}

TEST_CASE("class_weight weighs each sample by its class, as the equivalent sample_weight") {
  Data d = xor_like(30, 4);
  Vector w(30);
  for (Index i = 0; i < 30; ++i) w(i) = d.y(i, 0) == 1 ? Scalar(3) : Scalar(0.5);
  auto by_class = model_with(0.1);
  auto by_sample = model_with(0.1);
  auto h1 = by_class.fit(d.x, d.y, {.epochs = 2, .batch_size = 7, .verbose = 0, .class_weight = {{0, 0.5}, {1, 3}}});
  auto h2 = by_sample.fit(d.x, d.y, {.epochs = 2, .batch_size = 7, .verbose = 0, .sample_weight = w});
  check_same(by_class.get_weights(), by_sample.get_weights(), 0);
  CHECK(h1["loss"] == h2["loss"]);

  // A class that class_weight does not list weighs 1.
  auto partial = model_with(0.1);
  auto plain = model_with(0.1);
  partial.fit(d.x, d.y, {.epochs = 1, .batch_size = 7, .verbose = 0, .class_weight = {{5, 2.0}}});
  plain.fit(d.x, d.y, {.epochs = 1, .batch_size = 7, .verbose = 0});
  check_same(partial.get_weights(), plain.get_weights(), 0);
}

TEST_CASE("class_weight reads one-hot targets by their argmax") {
  // Softmax + categorical cross-entropy with one-hot y: class 2 samples weigh 4.
  Data d = xor_like(24, 5);
  Matrix onehot = Matrix::Zero(24, 3);
  Vector w(24);
  for (Index i = 0; i < 24; ++i) {
    Index c = d.x(i, 0) > 0.3 ? 2 : (d.y(i, 0) > 0 ? 1 : 0);
    onehot(i, c) = 1;
    w(i) = c == 2 ? 4 : 1;
  }
  auto make = [] {
    nn::Sequential m({.seed = 11});
    m.add(nn::Input(2));
    m.add(nn::Dense(3, {.activation = "softmax"}));
    m.compile("categorical_crossentropy", optim::SGD({.learning_rate = 0.1}));
    return m;
  };
  auto a = make(), b = make();
  a.fit(d.x, onehot, {.epochs = 2, .batch_size = 5, .verbose = 0, .class_weight = {{2, 4.0}}});
  b.fit(d.x, onehot, {.epochs = 2, .batch_size = 5, .verbose = 0, .sample_weight = w});
  check_same(a.get_weights(), b.get_weights(), 0);
}

TEST_CASE("metrics ignore sample weights; weighted_metrics apply them, as in Keras") {
  Data d = xor_like(20, 6);
  auto model = model_with(0.5, {"accuracy", "binary_crossentropy"});
  model.fit(d.x, d.y, {.epochs = 2, .batch_size = 5, .verbose = 0});
  Vector w(20);
  for (Index i = 0; i < 20; ++i) w(i) = static_cast<Scalar>(i % 4);

  Matrix p = model.predict(d.x);
  double hits = 0, weighted_hits = 0, weighted_loss = 0;
  for (Index i = 0; i < 20; ++i) {
    bool hit = (p(i, 0) > 0.5) == (d.y(i, 0) == 1);
    hits += hit;
    weighted_hits += hit * w(i);
    weighted_loss += w(i) * bce(d.y(i, 0), p(i, 0));
  }
  nn::Logs logs = model.evaluate(d.x, d.y, {.sample_weight = w});
  CHECK(logs.at("accuracy") == doctest::Approx(hits / 20));
  CHECK(logs.at("weighted_accuracy") == doctest::Approx(weighted_hits / w.sum()));
  // The loss divides by the batch size, the weighted metric by the sum of the weights.
  CHECK(logs.at("loss") == doctest::Approx(weighted_loss / 20).epsilon(1e-5));
  CHECK(logs.at("binary_crossentropy") == doctest::Approx(weighted_loss / w.sum()).epsilon(1e-5));

  auto h = model.fit(d.x, d.y, {.epochs = 1, .verbose = 0, .sample_weight = w});
  CHECK(h.history.count("weighted_accuracy") == 1);
  CHECK(h.history.count("binary_crossentropy") == 1);
}

TEST_CASE("weighted_metrics travel through the model's JSON") {
  auto model = model_with(0.1, {"accuracy"});
  nn::Sequential copy = nn::model_from_json(model.to_json());
  REQUIRE(copy.weighted_metric_ids().size() == 1);
  CHECK(copy.weighted_metric_ids()[0].name() == "accuracy");
  CHECK(model_with(0.1).to_json().find("\"weighted_metrics\":null") != std::string::npos);
}

TEST_CASE("Bad sample and class weights are errors that say what is wrong") {
  Data d = xor_like(6, 7);
  auto model = model_with(0.1);
  CHECK_THROWS_WITH_AS(model.fit(d.x, d.y, {.verbose = 0, .sample_weight = Vector::Ones(5)}),
                       doctest::Contains("fit: sample_weight: expected one weight per sample (6); received 5"), Error);
  Vector negative = Vector::Ones(6);
  negative(3) = -1;
  CHECK_THROWS_WITH_AS(model.fit(d.x, d.y, {.verbose = 0, .sample_weight = negative}),
                       doctest::Contains("expected finite, non-negative weights; received -1 at row 3"), Error);
  CHECK_THROWS_WITH_AS(
      model.fit(d.x, d.y, {.verbose = 0, .class_weight = {{0, 1.0}}, .sample_weight = Vector::Ones(6)}),
      doctest::Contains("class_weight and sample_weight cannot be given together"), Error);
  CHECK_THROWS_WITH_AS(model.fit(d.x, d.y, {.verbose = 0, .class_weight = {{1, -2.0}}}),
                       doctest::Contains("finite, non-negative weights; received 1: -2"), Error);
  CHECK_THROWS_WITH_AS(model.evaluate(d.x, d.y, {.sample_weight = Vector::Ones(2)}),
                       doctest::Contains("evaluate: sample_weight: expected one weight per sample (6); received 2"),
                       Error);
}
