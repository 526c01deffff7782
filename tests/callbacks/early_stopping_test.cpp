// EarlyStopping on scripted logs (each expectation derived by hand from Keras 3's rules) and in a real fit.
#include <doctest/doctest.h>

#include "support/scripted_callbacks.hpp"

using namespace descent;
using testing::run_scripted;
using testing::scripted_model;
using testing::val_losses;

TEST_CASE("EarlyStopping stops once patience epochs pass without improvement") {
  nn::Sequential model = scripted_model();
  // best 0.9 at epoch 1; epochs 2 and 3 do not improve: wait reaches 2 at epoch 3.
  nn::EarlyStopping stop({.patience = 2});
  CHECK(run_scripted(stop, model, val_losses({1.0, 0.9, 0.95, 0.92, 0.5, 0.4})) == 4);
  CHECK(stop.stopped_epoch() == 3);
  CHECK(stop.best() == 0.9);
  CHECK(stop.best_epoch() == 1);

  // patience 0: the first epoch without improvement stops, but never epoch 0.
  nn::EarlyStopping eager;
  CHECK(run_scripted(eager, model, val_losses({1.0, 0.8, 0.8, 0.1})) == 3);
  CHECK(eager.stopped_epoch() == 2);
}

TEST_CASE("EarlyStopping: min_delta, mode and auto direction") {
  nn::Sequential model = scripted_model();
  // 0.95 is better than 1.0 by less than min_delta 0.1: no improvement, so patience 1 stops at epoch 1.
  nn::EarlyStopping delta({.min_delta = 0.1, .patience = 1});
  CHECK(run_scripted(delta, model, val_losses({1.0, 0.95, 0.5})) == 2);
  // A negative min_delta counts as its absolute value, as in Keras.
  nn::EarlyStopping negative({.min_delta = -0.1, .patience = 1});
  CHECK(run_scripted(negative, model, val_losses({1.0, 0.95, 0.5})) == 2);

  // "val_accuracy" in mode auto maximizes: the model's accuracy metric says higher is better.
  std::vector<nn::Logs> accuracy = {{{"val_accuracy", 0.5}}, {{"val_accuracy", 0.6}}, {{"val_accuracy", 0.55}},
                                    {{"val_accuracy", 0.58}}, {{"val_accuracy", 0.9}}};
  nn::EarlyStopping up({.monitor = "val_accuracy", .patience = 2});
  CHECK(run_scripted(up, model, accuracy) == 4);
  CHECK(up.best() == 0.6);
  // The same values in mode min: 0.5 stays the best, epochs 1 and 2 exhaust patience.
  nn::EarlyStopping down({.monitor = "val_accuracy", .patience = 2, .mode = "min"});
  CHECK(run_scripted(down, model, accuracy) == 3);
  CHECK(down.best() == 0.5);

  // Loss-like keys minimize in auto mode: "loss" by name, a compiled error metric by its direction.
  nn::Sequential regression({.seed = 1});
  regression.add(nn::Input(2));
  regression.add(nn::Dense(1));
  regression.compile("mse", "sgd", {"mae", "root_mean_squared_error", "cosine_similarity"});
  for (const char* key : {"loss", "val_mae", "root_mean_squared_error"}) {
    nn::EarlyStopping s({.monitor = key});
    CHECK(run_scripted(s, regression, {{{key, 2.0}}, {{key, 1.0}}, {{key, 1.5}}}) == 3);
  }
  nn::EarlyStopping similarity({.monitor = "val_cosine_similarity"});
  CHECK(run_scripted(similarity, regression,
                     {{{"val_cosine_similarity", 0.2}}, {{"val_cosine_similarity", 0.1}}}) == 2);
  CHECK(similarity.best() == 0.2);
}

TEST_CASE("EarlyStopping: baseline keeps wait running until it is beaten") {
  nn::Sequential model = scripted_model();
  // Without a baseline the first epoch resets wait; patience 2 stops at epoch 2.
  nn::EarlyStopping plain({.monitor = "val_accuracy", .patience = 2});
  CHECK(run_scripted(plain, model, {{{"val_accuracy", 0.5}}, {{"val_accuracy", 0.5}}, {{"val_accuracy", 0.5}},
                                    {{"val_accuracy", 0.5}}}) == 3);
  // With baseline 0.75 the improvement at epoch 0 does not reset wait (1), so epoch 1 already reaches 2.
  nn::EarlyStopping baseline({.monitor = "val_accuracy", .patience = 2, .baseline = 0.75});
  CHECK(run_scripted(baseline, model, {{{"val_accuracy", 0.5}}, {{"val_accuracy", 0.5}}, {{"val_accuracy", 0.5}},
                                       {{"val_accuracy", 0.5}}}) == 2);
  // Beating the baseline resets wait as usual.
  nn::EarlyStopping beaten({.monitor = "val_accuracy", .patience = 2, .baseline = 0.75});
  CHECK(run_scripted(beaten, model, {{{"val_accuracy", 0.8}}, {{"val_accuracy", 0.8}}, {{"val_accuracy", 0.8}},
                                     {{"val_accuracy", 0.8}}}) == 3);
}

TEST_CASE("EarlyStopping: start_from_epoch ignores the warm-up epochs") {
  nn::Sequential model = scripted_model();
  // Epochs 0-2 rise (would stop at 1 with patience 0); monitoring starts at epoch 3, so the best is 3's value.
  nn::EarlyStopping warm({.start_from_epoch = 3});
  CHECK(run_scripted(warm, model, val_losses({0.1, 0.5, 0.9, 0.8, 0.7, 0.75})) == 6);
  CHECK(warm.best() == 0.7);
  CHECK(warm.stopped_epoch() == 5);
}

TEST_CASE("EarlyStopping restores the weights of the best epoch, also when that was the first") {
  nn::Sequential model = scripted_model();
  // Epoch e's weights are all e, so the restored weights name the epoch they came from.
  auto mark = [&](int epoch) {
    std::vector<Matrix> w = model.get_weights();
    for (Matrix& m : w) m.setConstant(static_cast<Scalar>(epoch));
    model.set_weights(w);
  };
  nn::EarlyStopping restore({.patience = 2, .restore_best_weights = true});
  CHECK(run_scripted(restore, model, val_losses({1.0, 0.5, 0.7, 0.6, 0.1}), mark) == 4);
  for (const Matrix& m : model.get_weights()) CHECK((m.array() == Scalar(1)).all());

  nn::EarlyStopping first({.patience = 1, .restore_best_weights = true});
  CHECK(run_scripted(first, model, val_losses({0.5, 0.7, 0.1}), mark) == 2);
  for (const Matrix& m : model.get_weights()) CHECK((m.array() == Scalar(0)).all());

  // Without restore_best_weights the last epoch's weights stay.
  nn::EarlyStopping keep({.patience = 1});
  CHECK(run_scripted(keep, model, val_losses({0.5, 0.7, 0.1}), mark) == 2);
  for (const Matrix& m : model.get_weights()) CHECK((m.array() == Scalar(1)).all());
}

TEST_CASE("EarlyStopping: missing monitor values are skipped; bad settings are errors") {
  nn::Sequential model = scripted_model();
  nn::EarlyStopping absent({.monitor = "val_accuracy"});
  // No val_ entries although the model validates: epochs skipped by validation_freq, never a stop.
  CHECK(run_scripted(absent, model, {{{"loss", 1.0}}, {{"loss", 2.0}}, {{"loss", 3.0}}}) == 3);

  nn::EarlyStopping unknown({.monitor = "val_f1"});
  CHECK_THROWS_WITH_AS(run_scripted(unknown, model, val_losses({1.0})),
                       doctest::Contains("EarlyStopping: cannot tell whether monitor=\"val_f1\" should be minimized or "
                                         "maximized: the model logs loss, accuracy (and their val_ forms)"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::EarlyStopping({.mode = "maximum"}),
                       doctest::Contains("EarlyStopping: unknown mode. Expected \"auto\", \"min\" or \"max\"; received "
                                         "mode=\"maximum\"."),
                       Error);
  CHECK_THROWS_WITH_AS(nn::EarlyStopping({.patience = -1}), doctest::Contains("expected patience >= 0"), Error);
}

TEST_CASE("EarlyStopping in fit: Keras's documented example runs 4 epochs") {
  // keras.callbacks.EarlyStopping's docstring: Dense(10) on np.arange(100).reshape(5, 20) with zero targets, SGD,
  // mse, monitor "loss", patience 3, batch 1: the loss explodes from the first epoch, so 4 epochs run.
  Matrix x(5, 20);
  for (Index i = 0; i < x.size(); ++i) x(i / 20, i % 20) = static_cast<Scalar>(i);
  Matrix y = Matrix::Zero(5, 10);
  nn::Sequential model;
  model.add(nn::Input(20));
  model.add(nn::Dense(10));
  model.compile("mse", optim::SGD());
  auto stop = std::make_shared<nn::EarlyStopping>(nn::EarlyStoppingOptions{.monitor = "loss", .patience = 3});
  nn::History h = model.fit(x, y, {.epochs = 10, .batch_size = 1, .verbose = 0, .callbacks = {stop}});
  CHECK(h["loss"].size() == 4);
}

TEST_CASE("EarlyStopping in fit restores the best epoch's weights and can be reused") {
  Matrix x(64, 2);
  Matrix y(64, 1);
  Rng rng(3);
  for (Index i = 0; i < 64; ++i) {
    x(i, 0) = static_cast<Scalar>(2 * uniform01(rng) - 1);
    x(i, 1) = static_cast<Scalar>(2 * uniform01(rng) - 1);
    y(i, 0) = x(i, 0) * x(i, 1) > 0 ? 1 : 0;
  }
  nn::Sequential model = scripted_model(3.0);  // a rate high enough to make val_loss wander
  std::vector<std::vector<Matrix>> weights;
  auto record = std::make_shared<nn::LambdaCallback>(
      nn::LambdaCallbackOptions{.on_epoch_end = [&](int, nn::Logs&) { weights.push_back(model.get_weights()); }});
  auto stop = std::make_shared<nn::EarlyStopping>(nn::EarlyStoppingOptions{.patience = 2, .restore_best_weights = true});
  for (int run = 0; run < 2; ++run) {
    weights.clear();
    nn::History h =
        model.fit(x, y, {.epochs = 40, .batch_size = 8, .validation_split = 0.25, .verbose = 0, .callbacks = {record, stop}});
    const std::vector<double>& val = h["val_loss"];
    const auto best = static_cast<std::size_t>(std::min_element(val.begin(), val.end()) - val.begin());
    CHECK(stop->best_epoch() == static_cast<int>(best));
    CHECK(stop->best() == val[best]);
    if (val.size() < 40) CHECK(val.size() == best + 3);  // stopped after patience epochs without improvement
    const std::vector<Matrix> now = model.get_weights();
    for (std::size_t i = 0; i < now.size(); ++i) CHECK(now[i] == weights[best][i]);
  }
}
