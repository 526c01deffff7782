// TerminateOnNaN stops at the batch whose loss went non-finite and names the layer where it started.
#include <doctest/doctest.h>

#include "support/scripted_callbacks.hpp"

#include <limits>

using namespace descent;

TEST_CASE("TerminateOnNaN names the batch and the first layer with a non-finite output") {
  Matrix x = Matrix::Random(40, 2);
  Matrix y = Matrix::Ones(40, 1);
  nn::Sequential model = testing::scripted_model();
  // Before batch 3 of the first epoch the second Dense layer's kernel is poisoned: the first layer stays finite.
  auto poison = std::make_shared<nn::LambdaCallback>(nn::LambdaCallbackOptions{.on_batch_begin = [&](int batch) {
    if (batch != 3) return;
    model.weights()[2]->value(0, 0) = std::numeric_limits<Scalar>::quiet_NaN();  // set_weights refuses NaN
  }});
  auto terminate = std::make_shared<nn::TerminateOnNaN>();
  nn::History h = model.fit(x, y, {.epochs = 5, .batch_size = 4, .verbose = 0, .callbacks = {poison, terminate}});
  CHECK(terminate->message() ==
        "Batch 3: Invalid loss, terminating training (the first layer with a non-finite output is 'dense_1')");
  CHECK(model.optimizer().iterations() == 4);  // batches 0-3 of the first epoch
  CHECK(h.size() == 1);
}

TEST_CASE("TerminateOnNaN leaves finite training alone") {
  Matrix x = Matrix::Random(16, 2);
  Matrix y = Matrix::Ones(16, 1);
  nn::Sequential model = testing::scripted_model();
  auto terminate = std::make_shared<nn::TerminateOnNaN>();
  nn::History h = model.fit(x, y, {.epochs = 3, .batch_size = 4, .verbose = 0, .callbacks = {terminate}});
  CHECK(h.size() == 3);
  CHECK(terminate->message().empty());
}
