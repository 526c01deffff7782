// ReduceLROnPlateau on a scripted plateau (rates derived by hand from Keras 3's rules) and in fit.
#include <doctest/doctest.h>

#include "support/scripted_callbacks.hpp"

using namespace descent;
using testing::run_scripted;
using testing::scripted_model;
using testing::val_losses;

TEST_CASE("ReduceLROnPlateau: patience, cooldown and min_lr on a flat val_loss") {
  nn::Sequential model = scripted_model(0.1);
  nn::ReduceLROnPlateau reduce({.factor = 0.5, .patience = 2, .cooldown = 1, .min_lr = 0.02});
  std::vector<nn::Logs> logs = val_losses(std::vector<double>(10, 1.0));
  std::vector<double> rates;  // the rate in effect during each epoch
  run_scripted(reduce, model, logs, [&](int) { rates.push_back(model.optimizer().learning_rate()); });
  // e0 sets best; e1 wait 1; e2 wait 2: 0.1 -> 0.05, cooldown 1. e3 spends the cooldown, wait 1; e4: -> 0.025.
  // e5 cooldown, e6: 0.0125 clipped to min_lr 0.02; e7 cooldown, e8 and e9: already at min_lr, no change.
  const std::vector<double> expected = {0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02};
  REQUIRE(rates.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(rates[i] == doctest::Approx(expected[i]).epsilon(1e-12));
  CHECK(model.optimizer().learning_rate() == doctest::Approx(0.02).epsilon(1e-12));
}

TEST_CASE("ReduceLROnPlateau: an improvement by more than min_delta resets the wait") {
  nn::Sequential model = scripted_model(1.0);
  nn::ReduceLROnPlateau reduce({.factor = 0.1, .patience = 2, .min_delta = 0.1});
  std::vector<double> rates;
  // 0.95 and 0.91 improve on 1.0 by less than 0.1: wait 1, 2 -> reduce at epoch 2. 0.5 then improves: no reduction.
  run_scripted(reduce, model, val_losses({1.0, 0.95, 0.91, 0.5, 0.45, 0.3}),
               [&](int) { rates.push_back(model.optimizer().learning_rate()); });
  const std::vector<double> expected = {1.0, 1.0, 1.0, 0.1, 0.1, 0.1};
  REQUIRE(rates.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(rates[i] == doctest::Approx(expected[i]).epsilon(1e-12));
}

TEST_CASE("ReduceLROnPlateau logs the rate into History and refuses schedules and bad options") {
  Matrix x = Matrix::Random(16, 2);
  Matrix y = Matrix::Zero(16, 1);
  nn::Sequential model = scripted_model(0.5);
  auto reduce = std::make_shared<nn::ReduceLROnPlateau>(
      nn::ReduceLROnPlateauOptions{.monitor = "loss", .factor = 0.5, .patience = 0, .min_delta = 1e9});
  // min_delta 1e9: no epoch improves after the first, so each later epoch halves the rate after logging it.
  nn::History h = model.fit(x, y, {.epochs = 4, .batch_size = 16, .verbose = 0, .callbacks = {reduce}});
  CHECK(h["learning_rate"] == std::vector<double>{0.5, 0.5, 0.25, 0.125});
  CHECK(model.optimizer().learning_rate() == 0.0625);

  nn::Sequential scheduled = scripted_model();
  scheduled.compile("binary_crossentropy",
                    optim::SGD({.learning_rate = optim::ExponentialDecay({.initial_learning_rate = 0.1,
                                                                            .decay_steps = 10,
                                                                            .decay_rate = 0.5})}));
  CHECK_THROWS_WITH_AS(scheduled.fit(x, y, {.epochs = 3, .verbose = 0, .callbacks = {reduce}}),
                       doctest::Contains("the learning rate follows the schedule ExponentialDecay and cannot be set"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::ReduceLROnPlateau({.factor = 1.0}),
                       doctest::Contains("ReduceLROnPlateau: expected 0 < factor < 1; received factor=1."), Error);
  CHECK_THROWS_WITH_AS(nn::ReduceLROnPlateau({.min_lr = -1}), doctest::Contains("expected a finite min_lr >= 0"),
                       Error);
}
