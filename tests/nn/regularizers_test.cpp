// Regularizers: Keras 3's penalty formulas, their gradients, and their place in the model's loss and step.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using nlohmann::json;

namespace {

Matrix small() {
  Matrix w(2, 3);
  w << 1, -2, 0, 0.5, -0.25, 3;
  return w;
}

}  // namespace

TEST_CASE("L1, L2 and L1L2 give Keras's penalties: l1 * sum|w| and l2 * sum w^2") {
  const Matrix w = small();  // sum |w| = 6.75, sum w^2 = 1 + 4 + 0.25 + 0.0625 + 9 = 14.3125
  CHECK(nn::L1(0.1).value(w) == doctest::Approx(0.675));
  CHECK(nn::L2(0.1).value(w) == doctest::Approx(1.43125));
  CHECK(nn::L1L2({.l1 = 0.1, .l2 = 0.01}).value(w) == doctest::Approx(0.675 + 0.143125));
  CHECK(nn::L1().value(w) == doctest::Approx(0.0675));  // Keras's default factor 0.01
  CHECK(nn::L1L2().value(w) == 0.0);                     // L1L2's defaults are both 0

  // Gradients: l1 * sign(w) (sign(0) = 0) and 2 * l2 * w, added to what is there.
  Matrix grad = Matrix::Ones(2, 3);
  nn::L1L2({.l1 = 0.1, .l2 = 0.01}).add_gradient(w, grad);
  Matrix expected(2, 3);
  expected << 1 + 0.1 + 0.02, 1 - 0.1 - 0.04, 1, 1 + 0.1 + 0.01, 1 - 0.1 - 0.005, 1 + 0.1 + 0.06;
  CHECK(testing::relative_error(grad, expected) < 1e-6);
}

TEST_CASE("a regularizer's gradient matches finite differences of its value") {
  Matrix w(3, 2);
  w << 0.3, -1.2, 2.0, -0.7, 0.9, 1.5;  // no zeros: |w| is not differentiable there
  const nn::L1L2 reg({.l1 = 0.05, .l2 = 0.2});
  Matrix analytic = Matrix::Zero(3, 2);
  reg.add_gradient(w, analytic);
  Matrix numeric = testing::numeric_gradient(w, [&] { return reg.value(w); });
  CHECK(testing::relative_error(analytic, numeric) < testing::kTolerance);
}

TEST_CASE("bad regularizer factors and names are errors naming them") {
  CHECK_THROWS_WITH_AS(nn::L2(-1), doctest::Contains("expected l2 to be a finite number >= 0; received l2=-1"), Error);
  CHECK_THROWS_WITH_AS(nn::get_regularizer("l3"), doctest::Contains("unknown regularizer \"l3\""), Error);
  CHECK_THROWS_WITH_AS(nn::regularizer_from_json(json::parse(R"({"class_name": "L2", "config": {"l2": -0.5}})"), "r"),
                       doctest::Contains("r.config: Regularizer: expected l2"), Error);
  CHECK_THROWS_WITH_AS(nn::regularizer_from_json(json::parse(R"({"class_name": "L2", "config": {"l1": 0.5}})"), "r"),
                       doctest::Contains("r.config"), Error);
  CHECK_THROWS_WITH_AS(nn::regularizer_from_json(json::parse(R"({"class_name": "Orthogonal", "config": {}})"), "r"),
                       doctest::Contains("r.class_name: unknown regularizer \"Orthogonal\""), Error);
}

TEST_CASE("regularizers read Keras 2/3 and TF.js configs and names, and write Keras's") {
  auto l2 = nn::regularizer_from_json(json::parse(R"({"class_name": "L2", "config": {"l2": 0.001}})"), "r");
  CHECK(l2->class_name() == "L2");
  CHECK(serialize(*l2) == json::parse(R"({"class_name": "L2", "config": {"l2": 0.001}})"));
  // TF.js writes every regularizer as L1L2.
  auto tfjs = nn::regularizer_from_json(json::parse(R"({"class_name": "L1L2", "config": {"l1": 0, "l2": 0.01}})"), "r");
  CHECK(tfjs->value(small()) == doctest::Approx(0.143125));
  CHECK(nn::regularizer_from_json(json("l1"), "r")->value(small()) == doctest::Approx(0.0675));
  CHECK(nn::get_regularizer("l1_l2")->class_name() == "L1L2");
}

TEST_CASE("Dense regularizers: the reported loss adds the penalties, and the step follows their gradient") {
  // Independent reference: the mean squared error plus each penalty, computed here from predict() and the weights.
  Matrix x(5, 3);
  x << 0.1, -0.4, 0.8, 0.5, 0.2, -0.3, -0.9, 0.7, 0.05, 0.3, 0.3, -0.6, 0.6, -0.1, 0.2;
  Matrix y(5, 2);
  y << 0.5, -0.2, 0.1, 0.4, -0.3, 0.9, 0.2, 0.0, 0.7, -0.5;

  struct Case {
    const char* name;
    const char* output_activation;
  };
  for (const Case c : {Case{"linear output", "linear"}, Case{"tanh output", "tanh"}}) {
    CAPTURE(c.name);
    nn::Sequential model({.seed = 3});
    model.add(nn::Input(3));
    model.add(nn::Dense(4, {.activation = "tanh",
                            .kernel_regularizer = nn::L2(0.05),
                            .bias_regularizer = nn::L1(0.02),
                            .activity_regularizer = nn::L1L2({.l1 = 0.01, .l2 = 0.03})}));
    model.add(nn::Dense(2, {.activation = c.output_activation, .kernel_regularizer = nn::L1(0.04)}));
    model.compile("mse", optim::SGD({.learning_rate = 1.0}));
    const std::vector<Matrix> w = model.get_weights();  // kernel, bias, kernel, bias

    Matrix hidden = ((x * w[0]).rowwise() + w[1].row(0)).array().tanh().matrix();
    double mse = (model.predict(x) - y).cast<double>().squaredNorm() / double(y.size());
    double penalty = 0.05 * w[0].cast<double>().squaredNorm() + 0.02 * w[1].cast<double>().cwiseAbs().sum() +
                     0.01 * hidden.cast<double>().cwiseAbs().sum() + 0.03 * hidden.cast<double>().squaredNorm() +
                     0.04 * w[2].cast<double>().cwiseAbs().sum();
    const double tolerance = std::is_same_v<Scalar, double> ? 1e-9 : 1e-5;
    CHECK(model.evaluate(x, y, {.batch_size = 5})["loss"] == doctest::Approx(mse + penalty).epsilon(tolerance));

    // Keras adds the activity penalty per batch (a sum over the batch's rows, not a mean), and weight penalties
    // once per batch; the epoch value is the size-weighted mean of the batch values.
    Matrix h1 = hidden.topRows(3), h2 = hidden.bottomRows(2);
    auto activity = [](const Matrix& h) {
      return 0.01 * h.cast<double>().cwiseAbs().sum() + 0.03 * h.cast<double>().squaredNorm();
    };
    double weights_penalty = penalty - activity(hidden);
    double batched = mse + weights_penalty + (3 * activity(h1) + 2 * activity(h2)) / 5;
    CHECK(model.evaluate(x, y, {.batch_size = 3})["loss"] == doctest::Approx(batched).epsilon(tolerance));

    nn::Logs logs = model.train_on_batch(x, y);
    CHECK(logs["loss"] == doctest::Approx(mse + penalty).epsilon(tolerance));
    const std::vector<Matrix> after = model.get_weights();
    std::vector<Matrix> probe = w;
    auto loss_at_probe = [&] {
      model.set_weights(probe);
      return model.evaluate(x, y, {.batch_size = 5})["loss"];
    };
    for (std::size_t k = 0; k < w.size(); ++k) {
      CAPTURE(k);
      Matrix applied = w[k] - after[k];
      Matrix numeric = testing::numeric_gradient(probe[k], loss_at_probe);
      CHECK(testing::relative_error(applied, numeric) < testing::kTolerance);
    }
  }
}

TEST_CASE("an activity regularizer on a sigmoid output fused with binary cross-entropy still gets its gradient") {
  Matrix x(4, 2);
  x << 0.2, -0.5, 0.9, 0.1, -0.3, 0.4, 0.7, -0.8;
  Matrix y(4, 1);
  y << 1, 0, 1, 0;
  nn::Sequential model({.seed = 5});
  model.add(nn::Input(2));
  model.add(nn::Dense(1, {.activation = "sigmoid", .activity_regularizer = nn::L2(0.5)}));
  model.compile("binary_crossentropy", optim::SGD({.learning_rate = 1.0}));
  const std::vector<Matrix> w = model.get_weights();
  Matrix p = model.predict(x);
  double bce = 0;
  for (Index i = 0; i < 4; ++i) bce -= y(i) * std::log(double(p(i))) + (1 - y(i)) * std::log(1 - double(p(i)));
  const double expected = bce / 4 + 0.5 * p.cast<double>().squaredNorm();
  CHECK(model.evaluate(x, y)["loss"] == doctest::Approx(expected).epsilon(1e-5));
  model.train_on_batch(x, y);
  const std::vector<Matrix> after = model.get_weights();
  std::vector<Matrix> probe = w;
  auto loss_at_probe = [&] {
    model.set_weights(probe);
    return model.evaluate(x, y)["loss"];
  };
  for (std::size_t k = 0; k < w.size(); ++k) {
    Matrix numeric = testing::numeric_gradient(probe[k], loss_at_probe);
    CHECK(testing::relative_error(w[k] - after[k], numeric) < testing::kTolerance);
  }
}

TEST_CASE("a frozen layer's weight penalties leave the loss, as in Keras 3") {
  nn::Sequential model({.seed = 2});
  model.add(nn::Input(2));
  model.add(nn::Dense(2, {.kernel_regularizer = nn::L2(1.0)}));
  model.compile("mse", "sgd");
  Matrix x = Matrix::Ones(3, 2), y = Matrix::Zero(3, 2);
  const double with_penalty = model.evaluate(x, y)["loss"];
  const double penalty = model.get_weights()[0].cast<double>().squaredNorm();
  model.layer(0).set_trainable(false);
  CHECK(model.evaluate(x, y)["loss"] == doctest::Approx(with_penalty - penalty));
}

TEST_CASE("Dense regularizers and constraints survive a JSON round trip; Keras configs load") {
  nn::Sequential model({.seed = 1});
  model.add(nn::Input(3));
  model.add(nn::Dense(2, {.kernel_regularizer = nn::L1L2({.l1 = 0.1, .l2 = 0.2}),
                          .bias_regularizer = "l2",
                          .activity_regularizer = nn::L1(0.3),
                          .kernel_constraint = nn::MaxNorm({.max_value = 1.5}),
                          .bias_constraint = nn::NonNeg()}));
  const json config = json::parse(model.to_json())["config"]["layers"][1]["config"];
  CHECK(config["kernel_regularizer"] == json::parse(R"({"class_name": "L1L2", "config": {"l1": 0.1, "l2": 0.2}})"));
  CHECK(config["bias_regularizer"] == json::parse(R"({"class_name": "L2", "config": {"l2": 0.01}})"));
  CHECK(config["activity_regularizer"] == json::parse(R"({"class_name": "L1", "config": {"l1": 0.3}})"));
  CHECK(config["kernel_constraint"] == json::parse(R"({"class_name": "MaxNorm", "config": {"max_value": 1.5, "axis": 0}})"));
  CHECK(config["bias_constraint"] == json::parse(R"({"class_name": "NonNeg", "config": {}})"));
  nn::Sequential back = nn::model_from_json(model.to_json());
  CHECK(back.to_json() == model.to_json());

  // With the same weights, the reloaded model computes the same regularized loss.
  back.set_weights(model.get_weights());
  model.compile("mse", "sgd");
  back.compile("mse", "sgd");
  Matrix x = Matrix::Constant(2, 3, 0.5), y = Matrix::Zero(2, 2);
  CHECK(back.evaluate(x, y)["loss"] == doctest::Approx(model.evaluate(x, y)["loss"]));

  // A bad regularizer in a file is reported with its JSON path.
  json bad = json::parse(model.to_json());
  bad["config"]["layers"][1]["config"]["kernel_regularizer"] = json::parse(R"({"class_name": "L2", "config": {"l2": "big"}})");
  CHECK_THROWS_WITH_AS(nn::model_from_json(bad.dump()),
                       doctest::Contains("config.layers[1].config.kernel_regularizer.config.l2"), Error);
}
