// AdamW: decoupled decay before Adam's step, checked by hand, against a Keras-formula loop and Keras's golden run.
#include "optim/optimizer_testing.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using test::Flat;
using optim::ParamD;

TEST_CASE("AdamW: the first step decays w by lr * weight_decay, then takes Adam's step") {
  // Keras base_optimizer.py: w <- w - w * wd * lr, then Adam's first step lr * s|g| / (s|g| + eps), s = sqrt(0.001).
  optim::AdamW adamw({.learning_rate = 0.5});  // weight_decay 0.004 by default
  Flat w = test::keras_single_step(adamw);
  const Flat w0 = {1, 2, 3, 4}, g = {1, 6, 7, 2};
  const double s = std::sqrt(0.001);
  for (int k = 0; k < 4; ++k)
    CHECK(w[k] == doctest::Approx(w0[k] * (1 - 0.004 * 0.5) - 0.5 * s * g[k] / (s * g[k] + 1e-7)).epsilon(1e-14));
  // Keras's adamw_test.py test_single_step: (0.4980, 1.4960, 2.494, 3.492).
  CHECK(w[1] == doctest::Approx(1.4960).epsilon(1e-4));
  CHECK(w[3] == doctest::Approx(3.492).epsilon(1e-4));
}

TEST_CASE("AdamW: ten steps on a bowl follow decay-then-Adam written out") {
  optim::AdamW adamw({.learning_rate = 0.05, .weight_decay = 0.3, .beta_1 = 0.8, .amsgrad = true});
  auto path = test::run_bowl<double>(adamw, 10);
  Flat m, v, v_hat;
  int t = 0;
  auto reference = [&](Flat& w, const Flat& g) {
    if (m.empty()) m = v = v_hat = Flat(w.size(), 0.0);
    ++t;
    const double alpha = 0.05 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.8, t));
    for (std::size_t k = 0; k < w.size(); ++k) {
      w[k] -= w[k] * 0.3 * 0.05;
      m[k] += (g[k] - m[k]) * (1 - 0.8);
      v[k] += (g[k] * g[k] - v[k]) * (1 - 0.999);
      v_hat[k] = std::max(v_hat[k], v[k]);
      w[k] -= alpha * m[k] / (std::sqrt(v_hat[k]) + 1e-7);
    }
  };
  auto expected = test::run_reference(reference, 10);
  CHECK(test::total_movement(path) > 0.3);
  CHECK(test::max_difference(path, expected) < 1e-13);
}

TEST_CASE("AdamW: Keras's golden run") {
  // keras/src/optimizers/adamw_test.py test_correctness_with_golden: AdamW(learning_rate=1.0, weight_decay=0.5,
  // epsilon=2).
  optim::AdamW adamw({.learning_rate = 1.0, .weight_decay = 0.5, .epsilon = 2});
  auto rows = test::keras_golden_run(adamw);
  test::check_golden(rows, {
      {0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998},
      {0.2486, 0.2475, 0.2463, 0.2451, 0.244, 0.2428, 0.2417, 0.2405, 0.2394, 0.2382},
      {0.1223, 0.1198, 0.1174, 0.1149, 0.1124, 0.11, 0.1075, 0.1051, 0.1027, 0.1003},
      {0.0586, 0.0549, 0.0512, 0.0475, 0.0439, 0.0402, 0.0366, 0.033, 0.0294, 0.0258},
      {0.0263, 0.0215, 0.0167, 0.012, 0.0073, 0.0026, -0.0021, -0.0067, -0.0113, -0.0159},
  });
}

TEST_CASE("AdamW: with a zero gradient only the decay acts, as in Keras's weight-decay test") {
  // Keras applies three optimizers in turn to w = 2 with lr 1, wd 0.004: 2 * 0.996^3 = 1.9760959.
  double w = 2.0;
  for (int i = 0; i < 3; ++i) {
    optim::AdamW adamw({.learning_rate = 1.0, .weight_decay = 0.004});
    w = test::one_step(adamw, {w}, {0.0})[0];
  }
  CHECK(w == doctest::Approx(1.9760959).epsilon(1e-7));
}

TEST_CASE("AdamW: config, slots and bad options") {
  auto c = optim::AdamW().config();
  CHECK(c["name"] == "adamw");
  CHECK(c["weight_decay"] == 0.004);
  CHECK(c["learning_rate"] == 0.001);
  CHECK(c["amsgrad"] == false);
  // A weight decay of 0 is written as 0, not null, so it does not read back as the 0.004 default.
  CHECK(optim::AdamW({.weight_decay = 0.0}).config()["weight_decay"] == 0.0);
  CHECK(optim::AdamW().slot_names() == std::vector<std::string>{"m", "v"});
  CHECK_THROWS_WITH_AS(optim::AdamW({.weight_decay = -0.1}), doctest::Contains("AdamW: bad weight_decay"), Error);
  CHECK_THROWS_WITH_AS(optim::AdamW({.beta_2 = 1.0}), doctest::Contains("AdamW: bad beta_2"), Error);
}
