// LambdaCallback calls each given function at its hook, in fit's order.
#include <doctest/doctest.h>

#include "support/scripted_callbacks.hpp"

using namespace descent;

TEST_CASE("LambdaCallback hooks run in Keras's order and may add log entries") {
  Matrix x = Matrix::Random(6, 2);
  Matrix y = Matrix::Ones(6, 1);
  nn::Sequential model = testing::scripted_model();
  std::vector<std::string> calls;
  auto hooks = std::make_shared<nn::LambdaCallback>(nn::LambdaCallbackOptions{
      .on_epoch_begin = [&](int e) { calls.push_back("epoch_begin " + std::to_string(e)); },
      .on_epoch_end =
          [&](int e, nn::Logs& logs) {
            calls.push_back("epoch_end " + std::to_string(e));
            logs["twice_loss"] = 2 * logs.at("loss");
          },
      .on_batch_begin = [&](int b) { calls.push_back("batch_begin " + std::to_string(b)); },
      .on_batch_end = [&](int b, const nn::Logs&) { calls.push_back("batch_end " + std::to_string(b)); },
      .on_train_begin = [&](const nn::Logs&) { calls.push_back("train_begin"); },
      .on_train_end = [&](const nn::Logs&) { calls.push_back("train_end"); }});
  nn::History h = model.fit(x, y, {.epochs = 2, .batch_size = 4, .verbose = 0, .callbacks = {hooks}});
  CHECK(calls == std::vector<std::string>{"train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 0",
                                          "batch_begin 1", "batch_end 1", "epoch_end 0", "epoch_begin 1",
                                          "batch_begin 0", "batch_end 0", "batch_begin 1", "batch_end 1",
                                          "epoch_end 1", "train_end"});
  CHECK(h["twice_loss"][1] == 2 * h["loss"][1]);

  // Hooks left out do nothing.
  auto only_end = std::make_shared<nn::LambdaCallback>(nn::LambdaCallbackOptions{});
  CHECK(model.fit(x, y, {.epochs = 1, .verbose = 0, .callbacks = {only_end}}).size() == 1);
}
