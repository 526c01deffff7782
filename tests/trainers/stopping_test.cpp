// fit stops when training diverges (an error naming where) and when interrupt_training() is called (a clean stop).
#include <doctest/doctest.h>

#include "support/scripted_callbacks.hpp"

#include <iostream>
#include <limits>
#include <sstream>

using namespace descent;

namespace {

// Counts on_train_end calls: the hooks that close files and restore weights must run however fit ends.
std::shared_ptr<nn::LambdaCallback> train_end_counter(int& count) {
  return std::make_shared<nn::LambdaCallback>(nn::LambdaCallbackOptions{.on_train_end = [&](const nn::Logs&) {
    ++count;
  }});
}

}  // namespace

TEST_CASE("fit throws TrainingDiverged at the batch whose loss is not finite, at every verbosity") {
  for (int verbose : {0, 2}) {
    std::ostringstream progress;
    set_output(&progress);
    Matrix x = Matrix::Random(40, 2);
    Matrix y = Matrix::Ones(40, 1);
    nn::Sequential model = testing::scripted_model();
    // Before batch 3 (0-based) of the second epoch the second Dense layer's kernel is poisoned.
    auto poison = std::make_shared<nn::LambdaCallback>(nn::LambdaCallbackOptions{.on_batch_begin = [&](int batch) {
      if (batch == 3 && model.optimizer().iterations() >= 10)
        model.weights()[2]->value(0, 0) = std::numeric_limits<Scalar>::quiet_NaN();
    }});
    int train_ends = 0;
    bool thrown = false;
    try {
      model.fit(x, y, {.epochs = 5, .batch_size = 4, .verbose = verbose,
                       .callbacks = {poison, train_end_counter(train_ends)}});
    } catch (const nn::TrainingDiverged& e) {
      thrown = true;
      CHECK(std::string(e.what()) ==
            "fit: training diverged in epoch 2 of 5, batch 4 of 10: the loss is nan (the first layer with a "
            "non-finite output is 'dense_1'). The weights are no longer usable; lower the learning rate, scale the "
            "inputs, or clip the gradients (clipnorm).");
      CHECK(e.epoch() == 1);
      CHECK(e.batch() == 3);
      CHECK(e.history().size() == 1);  // the first epoch was complete
    }
    set_output(&std::cout);
    CHECK(thrown);
    CHECK(train_ends == 1);
    CHECK(model.optimizer().iterations() == 14);  // 10 batches, then batches 0-3 of the second epoch
  }
}

TEST_CASE("fit throws TrainingDiverged when a learning rate far too large blows the weights up") {
  // y = 3x by least squares with SGD at rate 10: each step multiplies the error by about 1 - 2 * 10 * E[x^2] < -1.
  Matrix x = Matrix::Random(64, 1);
  Matrix y = 3 * x;
  nn::Sequential model({.seed = 1});
  model.add(nn::Input(1));
  model.add(nn::Dense(1));
  model.compile("mse", optim::SGD({.learning_rate = 10.0}));
  CHECK_THROWS_WITH_AS(model.fit(x, y, {.epochs = 500, .batch_size = 64, .verbose = 0}),
                       doctest::Contains("fit: training diverged in epoch"), nn::TrainingDiverged);
}

TEST_CASE("fit throws TrainingDiverged after an epoch that left a weight non-finite behind a finite loss") {
  // A relu unit whose bias is -inf outputs 0: the loss stays finite and the bias's gradient is 0, so only the check
  // of the weights at the end of the epoch sees it.
  Matrix x = Matrix::Random(16, 2);
  Matrix y = Matrix::Ones(16, 1);
  nn::Sequential model({.seed = 3});
  model.add(nn::Input(2));
  model.add(nn::Dense(3, {.activation = "relu"}));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));
  model.compile("binary_crossentropy", "sgd");
  auto poison = std::make_shared<nn::LambdaCallback>(nn::LambdaCallbackOptions{.on_batch_begin = [&](int batch) {
    if (batch == 1) model.weights()[1]->value(0, 0) = -std::numeric_limits<Scalar>::infinity();
  }});
  CHECK_THROWS_WITH_AS(
      model.fit(x, y, {.epochs = 3, .batch_size = 4, .verbose = 0, .callbacks = {poison}}),
      "fit: training diverged in epoch 1 of 3, batch 4 of 4: the weight dense/bias is not finite. The weights are no "
      "longer usable; lower the learning rate, scale the inputs, or clip the gradients (clipnorm).",
      nn::TrainingDiverged);
}

TEST_CASE("interrupt_training stops fit after the current batch, runs on_train_end and says where it stopped") {
  std::ostringstream progress;
  set_output(&progress);
  Matrix x = Matrix::Random(40, 2);
  Matrix y = Matrix::Ones(40, 1);
  nn::Sequential model = testing::scripted_model();
  auto ctrl_c = std::make_shared<nn::LambdaCallback>(nn::LambdaCallbackOptions{.on_batch_begin = [&](int batch) {
    if (batch == 2 && model.optimizer().iterations() >= 10) nn::interrupt_training();  // as a SIGINT handler would
  }});
  int train_ends = 0;
  nn::History h = model.fit(x, y, {.epochs = 5, .batch_size = 4, .verbose = 0,
                                   .callbacks = {ctrl_c, train_end_counter(train_ends)}});
  set_output(&std::cout);
  CHECK(h.interrupted);
  CHECK(h.size() == 2);  // the interrupted epoch is recorded, as when a callback stops training
  CHECK(model.optimizer().iterations() == 13);
  CHECK(train_ends == 1);
  CHECK(progress.str() == "Interrupted: stopped after batch 3 of 10 in epoch 2.\n");
  // The interruption was taken: the next fit runs whole.
  nn::History again = model.fit(x, y, {.epochs = 1, .batch_size = 4, .verbose = 0});
  CHECK_FALSE(again.interrupted);
  CHECK(model.optimizer().iterations() == 23);
}
