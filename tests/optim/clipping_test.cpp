// The options every optimizer has: clipnorm, clipvalue, global_clipnorm and decoupled weight_decay, by hand.
#include "optim/optimizer_testing.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using namespace descent::optim;
using test::Flat;

namespace {

// Two parameters, a 1 x 2 with gradient (3, 4) (norm 5) and a 1 x 1 with gradient 12: together norm 13.
struct TwoParams {
  ParamD a{.name = "a", .value = MatrixT<double>::Zero(1, 2), .grad = MatrixT<double>(1, 2)};
  ParamD b{.name = "b", .value = MatrixT<double>::Zero(1, 1), .grad = MatrixT<double>(1, 1)};
  ParamD* list[2] = {&a, &b};

  void step(Optimizer& optimizer) {
    a.grad << 3.0, 4.0;
    b.grad << 12.0;
    optimizer.step(std::span<ParamD* const>(list));
  }
};

}  // namespace

TEST_CASE("clipnorm rescales each gradient on its own to norm <= clipnorm") {
  // SGD with lr 1 moves by minus the clipped gradient: (3, 4) * 1/5 and 12 * 1/12.
  SGD sgd({.learning_rate = 1.0, .clipnorm = 1.0});
  TwoParams p;
  p.step(sgd);
  CHECK(p.a.value(0, 0) == doctest::Approx(-0.6));
  CHECK(p.a.value(0, 1) == doctest::Approx(-0.8));
  CHECK(p.b.value(0, 0) == doctest::Approx(-1.0));
  // The gradient left in the parameter is the one applied.
  CHECK(p.a.grad(0, 1) == doctest::Approx(0.8));

  // A gradient already inside the bound is untouched: clipnorm 6 leaves (3, 4) and clips 12 to 6.
  SGD loose({.learning_rate = 1.0, .clipnorm = 6.0});
  TwoParams q;
  q.step(loose);
  CHECK(q.a.value(0, 0) == -3.0);
  CHECK(q.a.value(0, 1) == -4.0);
  CHECK(q.b.value(0, 0) == doctest::Approx(-6.0));

  // Keras's optimizer tests: clipnorm 1 turns (100, 100) into (sqrt(2)/2, sqrt(2)/2).
  Adam adam({.learning_rate = 0.1, .clipnorm = 1.0});
  ParamD w{.name = "w", .value = MatrixT<double>::Zero(1, 2), .grad = MatrixT<double>::Constant(1, 2, 100.0)};
  ParamD* list[] = {&w};
  adam.step(std::span<ParamD* const>(list));
  CHECK(w.grad(0, 0) == doctest::Approx(std::sqrt(2.0) / 2));
}

TEST_CASE("global_clipnorm rescales all gradients together to a joint norm <= global_clipnorm") {
  // Joint norm sqrt(9 + 16 + 144) = 13; global_clipnorm 1 scales everything by 1/13.
  SGD sgd({.learning_rate = 1.0, .global_clipnorm = 1.0});
  TwoParams p;
  p.step(sgd);
  CHECK(p.a.value(0, 0) == doctest::Approx(-3.0 / 13));
  CHECK(p.a.value(0, 1) == doctest::Approx(-4.0 / 13));
  CHECK(p.b.value(0, 0) == doctest::Approx(-12.0 / 13));

  SGD loose({.learning_rate = 1.0, .global_clipnorm = 13.5});
  TwoParams q;
  q.step(loose);
  CHECK(q.b.value(0, 0) == -12.0);

  // A non-finite joint norm makes every gradient NaN, as in Keras, rather than silently dropping the step.
  SGD nan_case({.learning_rate = 1.0, .global_clipnorm = 1.0});
  TwoParams r;
  r.a.grad << 1.0, INFINITY;
  r.b.grad << 1.0;
  nan_case.step(std::span<ParamD* const>(r.list));
  CHECK(std::isnan(r.b.value(0, 0)));
}

TEST_CASE("clipvalue clips each gradient element to [-clipvalue, clipvalue]") {
  SGD sgd({.learning_rate = 1.0, .clipvalue = 1.0});
  Flat w = test::one_step(sgd, {0.0, 0.0, 0.0}, {100.0, -100.0, 0.5});
  CHECK(w == Flat{-1.0, 1.0, -0.5});
}

TEST_CASE("weight_decay: w <- w - w * weight_decay * lr before the update, with the step's rate") {
  // SGD, lr 0.1, wd 0.5, w = 2, g = 1: 2 - 2 * 0.5 * 0.1 - 0.1 * 1 = 1.8.
  SGD sgd({.learning_rate = 0.1, .weight_decay = 0.5});
  Flat w = test::one_step(sgd, {2.0}, {1.0});
  CHECK(w[0] == doctest::Approx(1.8));

  // With a schedule the decay uses the same rate as the update: 0.1, then 0.05.
  SGD scheduled({.learning_rate = ExponentialDecay({.initial_learning_rate = 0.1, .decay_steps = 1, .decay_rate = 0.5}),
                 .weight_decay = 0.5});
  w = test::one_step(scheduled, {2.0}, {1.0});
  w = test::one_step(scheduled, w, {1.0});
  CHECK(w[0] == doctest::Approx(1.8 - 1.8 * 0.5 * 0.05 - 0.05));

  // Adaptive optimizers decay the same way: Adam with a zero gradient does not move otherwise (Keras's
  // weight-decay test: three optimizers at lr 1, wd 0.004 take 2 to 2 * 0.996^3 = 1.9760959).
  double x = 2.0;
  for (int i = 0; i < 3; ++i) {
    RMSprop rmsprop({.learning_rate = 1.0, .weight_decay = 0.004});
    x = test::one_step(rmsprop, {x}, {0.0})[0];
  }
  CHECK(x == doctest::Approx(1.9760959).epsilon(1e-7));

  // Every parameter decays, once per step.
  Adagrad adagrad({.learning_rate = 0.5, .weight_decay = 0.1});
  TwoParams p;
  p.a.value << 1.0, -2.0;
  p.b.value << 4.0;
  p.a.grad.setZero();
  p.b.grad.setZero();
  adagrad.step(std::span<ParamD* const>(p.list));
  CHECK(p.a.value(0, 1) == doctest::Approx(-2.0 * 0.95));
  CHECK(p.b.value(0, 0) == doctest::Approx(4.0 * 0.95));
}

TEST_CASE("Clipping and decay compose with every optimizer's rule (Adam, two parameters, several steps)") {
  // Reference: per step, clip each parameter's gradient to norm 0.5, decay, then Adam; the counter is shared.
  Adam adam({.learning_rate = 0.05, .weight_decay = 0.2, .clipnorm = 0.5});
  auto path = test::run_bowl<double>(adam, 6);
  Flat m(7, 0.0), v(7, 0.0);
  int t = 0;
  auto reference = [&](Flat& w, const Flat& g_in) {
    Flat g = g_in;
    for (auto [begin, end] : {std::pair{0, 4}, std::pair{4, 7}}) {  // kernel, bias
      double n = 0;
      for (int k = begin; k < end; ++k) n += g[k] * g[k];
      n = std::sqrt(n);
      if (n > 0.5)
        for (int k = begin; k < end; ++k) g[k] *= 0.5 / n;
    }
    ++t;
    const double alpha = 0.05 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.9, t));
    for (int k = 0; k < 7; ++k) {
      w[k] -= w[k] * 0.2 * 0.05;
      m[k] += (g[k] - m[k]) * 0.1;
      v[k] += (g[k] * g[k] - v[k]) * 0.001;
      w[k] -= alpha * m[k] / (std::sqrt(v[k]) + 1e-7);
    }
  };
  auto expected = test::run_reference(reference, 6);
  CHECK(test::max_difference(path, expected) < 1e-13);
}

TEST_CASE("The common options: config, JSON and bad values") {
  SGD sgd({.learning_rate = 0.1, .weight_decay = 0.01, .clipnorm = 2.0});
  auto c = sgd.config();
  CHECK(c["weight_decay"] == 0.01);
  CHECK(c["clipnorm"] == 2.0);
  CHECK(c["clipvalue"].is_null());
  CHECK(c["global_clipnorm"].is_null());
  CHECK(sgd.common_options().clipnorm == 2.0);
  auto back = from_json(serialize(sgd), "optimizer");
  CHECK(back->common_options().weight_decay == 0.01);
  CHECK(back->config() == c);

  CHECK_THROWS_WITH_AS(Adam({.clipnorm = 1.0, .clipvalue = 1.0}),
                       doctest::Contains("only one of clipnorm, clipvalue and global_clipnorm"), Error);
  CHECK_THROWS_WITH_AS(SGD({.clipvalue = 1.0, .global_clipnorm = 1.0}), doctest::Contains("SGD: only one of"),
                       Error);
  CHECK_THROWS_WITH_AS(RMSprop({.clipnorm = -1.0}), doctest::Contains("RMSprop: bad clipnorm"), Error);
  CHECK_THROWS_WITH_AS(Adadelta({.weight_decay = -0.5}), doctest::Contains("weight_decay >= 0"), Error);
  CHECK_THROWS_WITH_AS(GD({.global_clipnorm = INFINITY}), doctest::Contains("GD: bad global_clipnorm"), Error);
  CHECK_THROWS_WITH_AS(from_json(nlohmann::json::parse(R"({"class_name": "Adam", "config": {"clipnorm": "big"}})"),
                                 "optimizer"),
                       doctest::Contains("optimizer.config.clipnorm: expected a number"), Error);
}
