// ModelCheckpoint: what it saves, when, and where, on scripted logs and in fit.
#include <doctest/doctest.h>

#include "support/scripted_callbacks.hpp"

using namespace descent;
namespace fs = std::filesystem;

namespace {
// Gives epoch e's weights the value e, so a saved model names the epoch it came from.
auto marker(nn::Sequential& model) {
  return [&model](int epoch) {
    std::vector<Matrix> w = model.get_weights();
    for (Matrix& m : w) m.setConstant(static_cast<Scalar>(epoch));
    model.set_weights(w);
  };
}
Scalar first_weight(const std::string& dir) { return nn::load_model(dir).get_weights()[0](0, 0); }
}  // namespace

TEST_CASE("ModelCheckpoint saves every epoch under a formatted path") {
  const auto dir = testing::fresh_directory("checkpoint-every");
  nn::Sequential model = testing::scripted_model();
  nn::ModelCheckpoint save((dir / "runs/epoch{epoch:02d}-{val_loss:.2f}").string());
  testing::run_scripted(save, model, testing::val_losses({0.5, 0.25, 0.125}), marker(model));
  CHECK(first_weight((dir / "runs/epoch01-0.50").string()) == 0);
  CHECK(first_weight((dir / "runs/epoch02-0.25").string()) == 1);
  CHECK(first_weight((dir / "runs/epoch03-0.12").string()) == 2);
  CHECK(save.last_saved() == (dir / "runs/epoch03-0.12").string());
}

TEST_CASE("ModelCheckpoint with save_best_only keeps the best model and skips the rest") {
  const auto dir = testing::fresh_directory("checkpoint-best");
  nn::Sequential model = testing::scripted_model();
  nn::ModelCheckpoint best((dir / "best").string(), {.save_best_only = true});
  testing::run_scripted(best, model, testing::val_losses({1.0, 0.8, 0.9, 0.7, 0.75}), marker(model));
  CHECK(first_weight((dir / "best").string()) == 3);
  CHECK(best.best() == 0.7);

  // Per-epoch names show which epochs were saved: 1, 2 and 4 improved.
  nn::ModelCheckpoint named((dir / "e{epoch}").string(), {.save_best_only = true});
  testing::run_scripted(named, model, testing::val_losses({1.0, 0.8, 0.9, 0.7}), marker(model));
  CHECK(fs::exists(dir / "e1"));
  CHECK(fs::exists(dir / "e2"));
  CHECK_FALSE(fs::exists(dir / "e3"));
  CHECK(fs::exists(dir / "e4"));

  // initial_value_threshold: nothing is saved until the monitor beats it; mode max for accuracy.
  nn::ModelCheckpoint threshold((dir / "acc{epoch}").string(),
                                {.monitor = "val_accuracy", .save_best_only = true, .initial_value_threshold = 0.6});
  testing::run_scripted(threshold, model,
                        {{{"val_accuracy", 0.5}}, {{"val_accuracy", 0.7}}, {{"val_accuracy", 0.65}}}, marker(model));
  CHECK_FALSE(fs::exists(dir / "acc1"));
  CHECK(fs::exists(dir / "acc2"));
  CHECK_FALSE(fs::exists(dir / "acc3"));
}

TEST_CASE("ModelCheckpoint saves weights only, or every N batches") {
  const auto dir = testing::fresh_directory("checkpoint-weights");
  Matrix x = Matrix::Random(20, 2);
  Matrix y = Matrix::Ones(20, 1);
  nn::Sequential model = testing::scripted_model();
  auto weights = std::make_shared<nn::ModelCheckpoint>((dir / "w").string(),
                                                       nn::ModelCheckpointOptions{.save_weights_only = true});
  auto batches = std::make_shared<nn::ModelCheckpoint>((dir / "b-{epoch}-{batch}").string(),
                                                       nn::ModelCheckpointOptions{.save_freq = 3});
  model.fit(x, y, {.epochs = 2, .batch_size = 4, .verbose = 0, .callbacks = {weights, batches}});
  CHECK(fs::exists(dir / "w/weights_manifest.json"));
  CHECK_FALSE(fs::exists(dir / "w/model.json"));
  nn::Sequential reloaded = testing::scripted_model();
  reloaded.load_weights((dir / "w").string());
  const std::vector<Matrix> a = model.get_weights(), b = reloaded.get_weights();
  // weights.bin holds float32: in a double build the reloaded weights are the trained ones rounded to float.
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].cast<float>() == b[i].cast<float>());
  // 5 batches per epoch, a save after every 3rd batch overall: epoch 1 batch 3, epoch 2 batches 1 and 4.
  std::vector<std::string> saved;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().filename().string().starts_with("b-")) saved.push_back(entry.path().filename().string());
  std::sort(saved.begin(), saved.end());
  CHECK(saved == std::vector<std::string>{"b-1-3", "b-2-1", "b-2-4"});
}

TEST_CASE("ModelCheckpoint errors name the pattern and the missing value") {
  const auto dir = testing::fresh_directory("checkpoint-errors");
  nn::Sequential model = testing::scripted_model();
  nn::ModelCheckpoint missing((dir / "m-{val_acc:.2f}").string());
  CHECK_THROWS_WITH_AS(testing::run_scripted(missing, model, testing::val_losses({1.0})),
                       doctest::Contains("no value named \"val_acc\". Available: epoch, loss, val_loss."), Error);
  CHECK_THROWS_WITH_AS(nn::ModelCheckpoint("m-{epoch:>3}"), doctest::Contains("unsupported format spec"), Error);
  CHECK_THROWS_WITH_AS(nn::ModelCheckpoint("m", {.save_freq = -1}), doctest::Contains("received save_freq=-1"), Error);
}
