// A user's own optimizer, loss and metric, registered as Keras's register_keras_serializable does, are compiled by
// name, train, and come back from a saved model, like built-in ones. They use only the installed headers.
#include "support/scripted_callbacks.hpp"

#include <descent/descent.hpp>
#include <descent/losses/registry.hpp>
#include <descent/metrics/registry.hpp>
#include <descent/optim/registry.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using nlohmann::json;

namespace {

// signSGD: w <- w - lr sign(g), a rule simple enough to check by hand.
struct SignSGDOptions {
  optim::LearningRate learning_rate = 0.1;
  DESCENT_COMMON_OPTIMIZER_OPTIONS;
  template <class Self, class Visit>
  static void fields(Self&, Visit&&) {}  // no options of its own
};

class SignSGD : public optim::Optimizer {
 public:
  explicit SignSGD(SignSGDOptions options = {})
      : Optimizer(options.learning_rate, optim::common_options_of(options), "SignSGD"), options_(options) {}
  std::string class_name() const override { return "SignSGD"; }
  json config() const override { return base_config("sign_sgd"); }
  const SignSGDOptions& options() const { return options_; }

 protected:
  void update(optim::ParamF& p, std::size_t) override { apply(p); }
  void update(optim::ParamD& p, std::size_t) override { apply(p); }

 private:
  template <class T>
  void apply(BasicParam<T>& p) {
    p.value -= static_cast<T>(current_learning_rate()) * p.grad.unaryExpr([](T g) { return T((g > 0) - (g < 0)); });
  }
  SignSGDOptions options_;
};

// factor times the mean squared error, with one option of its own.
struct ScaledSquaredErrorOptions {
  double factor = 1.0;
  template <class Self, class Visit>
  static void fields(Self& o, Visit&& visit) {
    visit("factor", o.factor);
  }
};

class ScaledSquaredError : public losses::Loss {
 public:
  explicit ScaledSquaredError(ScaledSquaredErrorOptions options = {}) : options_(options) {}
  std::string class_name() const override { return "ScaledSquaredError"; }
  std::string name() const override { return "scaled_squared_error"; }
  void gradient(const Matrix& t, const Matrix& p, Matrix& grad) const override {
    grad = (p - t) * static_cast<Scalar>(2 * options_.factor / static_cast<double>(p.size()));
  }
  json config() const override { return with_fields(Loss::config(), options_); }
  const ScaledSquaredErrorOptions& options() const { return options_; }

 protected:
  double weighted_sum(const Matrix& t, const Matrix& p, SampleWeights w) const override {
    double total = 0;
    for (Index i = 0; i < p.rows(); ++i)
      total += (w.empty() ? 1.0 : w[i]) * options_.factor * (p.row(i) - t.row(i)).squaredNorm() /
               static_cast<double>(p.cols());
    return total;
  }

 private:
  ScaledSquaredErrorOptions options_;
};

// The largest |y_pred - y_true| seen this epoch; no options.
class MaxAbsoluteError : public metrics::Metric {
 public:
  MaxAbsoluteError() { name_ = "max_absolute_error"; }
  std::string class_name() const override { return "MaxAbsoluteError"; }
  double result() const override { return largest_; }
  void reset() override { largest_ = 0; }

 protected:
  void update_state(const Matrix& t, const Matrix& p, SampleWeights) override {
    largest_ = std::max(largest_, static_cast<double>((p - t).cwiseAbs().maxCoeff()));
  }

 private:
  double largest_ = 0;
};

void register_user_classes() {
  static const bool registered = (optim::register_optimizer<SignSGD>(), losses::register_loss<ScaledSquaredError>(),
                                  metrics::register_metric<MaxAbsoluteError>(), true);
  (void)registered;
}

}  // namespace

TEST_CASE("A registered optimizer, loss and metric compile by name, train, and load back from a saved model") {
  register_user_classes();
  nn::Sequential model;
  model.add(nn::Input(2));
  model.add(nn::Dense(1, {.kernel_initializer = "ones", .name = "d"}));
  // Keras's optimizer names are lowercase class names, matched whatever the case.
  model.compile(losses::from_json(json::parse(R"({"class_name": "ScaledSquaredError", "config": {"factor": 3}})"),
                                  "loss"),
                "SIGNSGD", {"max_absolute_error"});
  CHECK(model.optimizer().class_name() == "SignSGD");
  Matrix x(2, 2), y(2, 1);
  x << 1, 2, -1, 0.5;
  y << 1, 0;
  // Outputs with the ones kernel and zero bias: 3 and -0.5; errors 2 and -0.5.
  const nn::Logs before = model.evaluate(x, y);
  CHECK(before.at("loss") == doctest::Approx(3 * (4 + 0.25) / 2).epsilon(1e-6));
  CHECK(before.at("max_absolute_error") == doctest::Approx(2.0).epsilon(1e-6));

  model.train_on_batch(x, y);
  // d loss / d w = 3 (2 * 2 * x0 + 2 * -0.5 * x1) / 2 = (4.5, 6.75); d / d b = 3 (4 - 1) / 2 > 0: each moves by -0.1.
  const auto w = model.get_weights();
  CHECK(w[0](0, 0) == doctest::Approx(0.9));
  CHECK(w[0](1, 0) == doctest::Approx(0.9));
  CHECK(w[1](0, 0) == doctest::Approx(-0.1));

  const auto dir = testing::fresh_directory("user-classes");
  model.save((dir / "model").string());
  nn::Sequential loaded = nn::load_model((dir / "model").string());
  REQUIRE(loaded.compiled());
  CHECK(loaded.optimizer().class_name() == "SignSGD");
  CHECK(loaded.optimizer().iterations() == 1);
  CHECK(serialize(loaded.loss())["config"]["factor"] == 3.0);
  CHECK(loaded.evaluate(x, y).at("max_absolute_error") == doctest::Approx(model.evaluate(x, y).at("max_absolute_error")));
  std::filesystem::remove_all(dir);
}

TEST_CASE("User classes cannot take a registered name, and their configs are read strictly") {
  register_user_classes();
  CHECK_THROWS_WITH_AS(optim::register_optimizer<SignSGD>(), doctest::Contains("already registered"), Error);
  CHECK_THROWS_WITH_AS(optim::register_optimizer("adam", &optim::optimizer_from_config<SignSGD>),
                       doctest::Contains("the name \"adam\" is already registered"), Error);
  CHECK_THROWS_WITH_AS(losses::register_loss("Custom", {"mse"}, &losses::loss_from_config<ScaledSquaredError>),
                       doctest::Contains("the name \"mse\" is already registered"), Error);
  CHECK_THROWS_WITH_AS(metrics::register_metric<MaxAbsoluteError>(), doctest::Contains("already registered"), Error);
  CHECK_THROWS_WITH_AS(
      losses::from_json(json::parse(R"({"class_name": "ScaledSquaredError", "config": {"factr": 3}})"), "c.loss"),
      doctest::Contains("c.loss.config.factr: unknown key \"factr\". Valid keys: "), Error);
  CHECK_THROWS_WITH_AS(
      optim::from_json(json::parse(R"({"class_name": "SignSGD", "config": {"learning_rate": 0.1, "beta": 1}})"),
                       "c.optimizer"),
      doctest::Contains("c.optimizer.config.beta: unknown key \"beta\""), Error);
  auto written = serialize(*optim::from_json(
      json::parse(R"({"class_name": "SignSGD", "config": {"learning_rate": 0.25}})"), "c"));
  CHECK(written["config"]["learning_rate"] == 0.25);
}
