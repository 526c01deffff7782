// LearningRateScheduler: the rate each batch steps with comes from the user's function of the epoch.
#include <doctest/doctest.h>

#include "support/scripted_callbacks.hpp"

using namespace descent;

TEST_CASE("LearningRateScheduler sets each epoch's rate before its first batch and logs it") {
  Matrix x = Matrix::Random(12, 2);
  Matrix y = Matrix::Ones(12, 1);
  nn::Sequential model = testing::scripted_model(0.1);
  // Keras's documented schedule: keep the rate for the first epochs, then multiply it by a factor each epoch.
  auto schedule = std::make_shared<nn::LearningRateScheduler>(
      [](int epoch, double rate) { return epoch < 2 ? rate : rate * 0.5; });
  std::vector<double> seen_by_batches;
  auto probe = std::make_shared<nn::LambdaCallback>(nn::LambdaCallbackOptions{
      .on_batch_begin = [&](int) { seen_by_batches.push_back(model.optimizer().learning_rate()); }});
  nn::History h = model.fit(x, y, {.epochs = 4, .batch_size = 6, .verbose = 0, .callbacks = {schedule, probe}});
  CHECK(seen_by_batches == std::vector<double>{0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025});
  CHECK(h["learning_rate"] == std::vector<double>{0.1, 0.1, 0.05, 0.025});

  // The step really uses the rate: one SGD step at rate r moves the weights r times the gradient, so the update of
  // a step at 0.025 is a quarter of the same step at 0.1.
  nn::Sequential a = testing::scripted_model(0.1), b = testing::scripted_model(0.1);
  auto quarter = std::make_shared<nn::LearningRateScheduler>([](int, double rate) { return rate / 4; });
  const std::vector<Matrix> start = a.get_weights();
  a.fit(x, y, {.epochs = 1, .batch_size = 12, .shuffle = false, .verbose = 0});
  b.fit(x, y, {.epochs = 1, .batch_size = 12, .shuffle = false, .verbose = 0, .callbacks = {quarter}});
  const std::vector<Matrix> wa = a.get_weights(), wb = b.get_weights();
  for (std::size_t i = 0; i < start.size(); ++i)
    CHECK(((wb[i] - start[i]) * 4 - (wa[i] - start[i])).cwiseAbs().maxCoeff() < 1e-6);
}

TEST_CASE("LearningRateScheduler rejects a rate that is not positive and finite") {
  Matrix x = Matrix::Random(4, 2);
  Matrix y = Matrix::Ones(4, 1);
  nn::Sequential model = testing::scripted_model();
  auto zero = std::make_shared<nn::LearningRateScheduler>([](int epoch, double) { return epoch == 1 ? 0.0 : 0.1; });
  CHECK_THROWS_WITH_AS(model.fit(x, y, {.epochs = 3, .verbose = 0, .callbacks = {zero}}),
                       doctest::Contains("LearningRateScheduler: the schedule returned 0.0 for epoch 1. Expected a "
                                         "finite learning rate > 0."),
                       Error);
  CHECK_THROWS_WITH_AS(nn::LearningRateScheduler(nullptr), doctest::Contains("expected a schedule function"), Error);
}
