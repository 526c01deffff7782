// A user's own initializer, regularizer and constraint, registered as Keras's register_keras_serializable does, are
// named in a layer config, act on the weights, and come back from a saved model, like built-in ones.
#include "support/scripted_callbacks.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using nlohmann::json;

namespace {

// Every weight starts at `value`.
class Fill : public nn::Initializer {
 public:
  explicit Fill(double value) : value_(value) {}
  std::string class_name() const override { return "Fill"; }
  json config() const override { return {{"value", value_}}; }
  void fill(Matrix& out, const Shape&, Rng&) const override { out.setConstant(static_cast<Scalar>(value_)); }

 private:
  double value_;
};

// factor * sum |w|^3, with gradient 3 factor w |w|.
class Cubic : public nn::Regularizer {
 public:
  explicit Cubic(double factor) : factor_(factor) {}
  std::string class_name() const override { return "Cubic"; }
  json config() const override { return {{"factor", factor_}}; }
  double value(const Matrix& w) const override { return factor_ * w.cast<double>().array().abs().cube().sum(); }
  void add_gradient(const Matrix& w, Matrix& grad) const override {
    grad.array() += static_cast<Scalar>(3 * factor_) * w.array() * w.array().abs();
  }

 private:
  double factor_;
};

// Clips every weight to [-limit, limit].
class Clip : public nn::Constraint {
 public:
  explicit Clip(double limit) : limit_(limit) {}
  std::string class_name() const override { return "Clip"; }
  json config() const override { return {{"limit", limit_}}; }
  void apply(Matrix& w, const Shape&) const override {
    w = w.cwiseMax(static_cast<Scalar>(-limit_)).cwiseMin(static_cast<Scalar>(limit_));
  }

 private:
  double limit_;
};

void register_weight_classes() {
  static const bool registered = [] {
    nn::register_initializer("Fill", {"fill"}, [](ConfigReader& r) {
      double value = 0;
      r.read("value", value);
      return std::make_shared<Fill>(value);
    });
    nn::register_regularizer("Cubic", {"cubic"}, [](ConfigReader& r) {
      double factor = 0;
      r.read("factor", factor);
      return std::make_shared<Cubic>(factor);
    });
    nn::register_constraint("Clip", {"clip"}, [](ConfigReader& r) {
      double limit = 1;
      r.read("limit", limit);
      return std::make_shared<Clip>(limit);
    });
    return true;
  }();
  (void)registered;
}

}  // namespace

TEST_CASE("A user's initializer, regularizer and constraint load from a layer config, act, and save back") {
  register_weight_classes();
  CHECK_THROWS_WITH_AS(nn::register_constraint("Clip", {}, [](ConfigReader&) { return std::make_shared<Clip>(1); }),
                       doctest::Contains("already registered"), Error);

  auto model = nn::model_from_json(R"({"class_name": "Sequential", "config": {"layers": [
      {"class_name": "InputLayer", "config": {"batch_shape": [null, 2]}},
      {"class_name": "Dense", "config": {"units": 1,
          "kernel_initializer": {"class_name": "Fill", "config": {"value": 0.5}},
          "kernel_regularizer": {"class_name": "Cubic", "config": {"factor": 0.1}},
          "kernel_constraint": {"class_name": "Clip", "config": {"limit": 0.6}}}}]}})");
  model.compile("mse", optim::SGD({.learning_rate = 1.0}));
  // The kernel starts at 0.5 each; x = (1, 1) and y = 10 push it up hard; Clip holds it at 0.6.
  CHECK(model.get_weights()[0] == Matrix::Constant(2, 1, Scalar(0.5)));
  Matrix x = Matrix::Ones(1, 2), y = Matrix::Constant(1, 1, Scalar(10));
  const double loss = model.train_on_batch(x, y).at("loss");
  // Hand-derived: prediction 0.5 + 0.5 = 1, so mse = (1 - 10)^2 = 81, plus 0.1 * (0.5^3 + 0.5^3) = 0.025.
  CHECK(loss == doctest::Approx(81.025));
  CHECK(model.get_weights()[0] == Matrix::Constant(2, 1, Scalar(0.6)));

  const auto dir = testing::fresh_directory("user_weight_classes");
  model.save((dir / "model").string());
  nn::Sequential loaded = nn::load_model((dir / "model").string());
  const json layer = json::parse(loaded.to_json())["config"]["layers"][1]["config"];
  CHECK(layer["kernel_initializer"] == json::parse(R"({"class_name": "Fill", "config": {"value": 0.5}})"));
  CHECK(layer["kernel_regularizer"] == json::parse(R"({"class_name": "Cubic", "config": {"factor": 0.1}})"));
  CHECK(layer["kernel_constraint"] == json::parse(R"({"class_name": "Clip", "config": {"limit": 0.6}})"));
  // Saved weights are float32, so the double build reads back 0.6 rounded to float.
  CHECK(loaded.get_weights()[0] == model.get_weights()[0].cast<float>().cast<Scalar>());
  CHECK(nn::get_initializer("fill")->class_name() == "Fill");
}
