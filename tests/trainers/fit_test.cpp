// fit semantics as Keras defines them: epoch means, validation rows, History keys, shuffling, callbacks, GD, verbose.
#include <doctest/doctest.h>

#include <cmath>
#include <descent/descent.hpp>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

using namespace descent;

namespace {

Matrix inputs(Index rows, Index cols, std::uint64_t seed) {
  Rng rng(seed);
  Matrix x(rows, cols);
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<Scalar>(2.0 * uniform01(rng) - 1.0);
  return x;
}

Matrix labels_for(const Matrix& x) {
  Matrix y(x.rows(), 1);
  for (Index i = 0; i < x.rows(); ++i) y(i, 0) = x(i, 0) * x(i, 1) > 0 ? 1 : 0;
  return y;
}

nn::Sequential classifier(std::uint64_t seed, double learning_rate = 0.5) {
  nn::Sequential model({.seed = seed});
  model.add(nn::Input(2));
  model.add(nn::Dense(3, {.activation = "tanh"}));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));
  model.compile("binary_crossentropy", optim::SGD({.learning_rate = learning_rate}), {"accuracy"});
  return model;
}

bool same_weights(const std::vector<Matrix>& a, const std::vector<Matrix>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].rows() != b[i].rows() || a[i].cols() != b[i].cols() || a[i] != b[i]) return false;
  return true;
}

// Binary cross-entropy and accuracy of one batch, straight from the formulas.
double bce_mean(const Matrix& y, const Matrix& p) {
  double total = 0;
  for (Index i = 0; i < p.rows(); ++i)
    total -= y(i, 0) * std::log(double(p(i, 0))) + (1 - y(i, 0)) * std::log(1 - double(p(i, 0)));
  return total / double(p.rows());
}
double hits(const Matrix& y, const Matrix& p) {
  double n = 0;
  for (Index i = 0; i < p.rows(); ++i) n += (p(i, 0) > Scalar(0.5)) == (y(i, 0) == 1);
  return n;
}

// Records the weights before each batch and the logs after it.
struct Recorder : nn::Callback {
  std::vector<std::vector<Matrix>> weights_before;
  std::vector<nn::Logs> batch_logs, epoch_logs;
  std::vector<std::int64_t> iterations_at_epoch_end;
  void on_batch_begin(int) override { weights_before.push_back(model().get_weights()); }
  void on_batch_end(int, const nn::Logs& logs) override { batch_logs.push_back(logs); }
  void on_epoch_end(int, nn::Logs& logs) override {
    epoch_logs.push_back(logs);
    iterations_at_epoch_end.push_back(model().optimizer().iterations());
  }
};

}  // namespace

TEST_CASE("the epoch loss is the size-weighted mean of the pre-update batch losses") {
  // 10 rows in batches of 4: sizes 4, 4, 2. Each batch's loss is recomputed here from the weights it saw.
  Matrix x = inputs(10, 2, 1);
  Matrix y = labels_for(x);
  nn::Sequential model = classifier(5);
  auto recorder = std::make_shared<Recorder>();
  nn::History h =
      model.fit(x, y, {.epochs = 1, .batch_size = 4, .shuffle = false, .verbose = 0, .callbacks = {recorder}});
  REQUIRE(recorder->weights_before.size() == 3);

  nn::Sequential probe = classifier(0);
  probe.build(2);
  const Index starts[] = {0, 4, 8}, sizes[] = {4, 4, 2};
  double weighted = 0, unweighted = 0, correct = 0, seen = 0;
  for (int b = 0; b < 3; ++b) {
    probe.set_weights(recorder->weights_before[static_cast<std::size_t>(b)]);
    Matrix xb = x.middleRows(starts[b], sizes[b]), yb = y.middleRows(starts[b], sizes[b]);
    Matrix p = probe.predict(xb);
    double loss = bce_mean(yb, p);
    weighted += loss * double(sizes[b]);
    unweighted += loss / 3;
    correct += hits(yb, p);
    seen += double(sizes[b]);
    // on_batch_end sees the running means of the epoch so far.
    CHECK(recorder->batch_logs[static_cast<std::size_t>(b)].at("loss") == doctest::Approx(weighted / seen));
    CHECK(recorder->batch_logs[static_cast<std::size_t>(b)].at("accuracy") == doctest::Approx(correct / seen));
  }
  weighted /= 10;
  CHECK(std::abs(weighted - unweighted) > 1e-3);  // the data tell the two rules apart
  CHECK(h["loss"][0] == doctest::Approx(weighted));
  CHECK(h["accuracy"][0] == doctest::Approx(correct / 10));
  // The recorded weights really are pre-update: the step moved them between batches.
  CHECK_FALSE(same_weights(recorder->weights_before[0], recorder->weights_before[1]));
}

TEST_CASE("validation_split holds out the last rows, before shuffling") {
  Matrix x = inputs(20, 2, 2);
  Matrix y = labels_for(x);
  nn::Sequential split = classifier(9);
  nn::History h = split.fit(
      x, y, {.epochs = 3, .batch_size = 4, .validation_split = 0.25, .shuffle = true, .verbose = 0, .seed = 11});
  // Training on the first 15 rows alone, with the same shuffling seed, must be the very same run.
  nn::Sequential first_rows = classifier(9);
  nn::History h15 = first_rows.fit(x.topRows(15), y.topRows(15),
                                   {.epochs = 3, .batch_size = 4, .shuffle = true, .verbose = 0, .seed = 11});
  CHECK(same_weights(split.get_weights(), first_rows.get_weights()));
  CHECK(h["loss"] == h15["loss"]);
  CHECK(first_rows.optimizer().iterations() == 3 * 4);  // 15 rows in batches of 4

  nn::Logs last = split.evaluate(x.bottomRows(5), y.bottomRows(5));
  CHECK(h["val_loss"].back() == doctest::Approx(last["loss"]));
  CHECK(h["val_accuracy"].back() == doctest::Approx(last["accuracy"]));

  // Holding out the first rows instead would train on different data.
  nn::Sequential last_rows = classifier(9);
  last_rows.fit(x.bottomRows(15), y.bottomRows(15),
                {.epochs = 3, .batch_size = 4, .shuffle = true, .verbose = 0, .seed = 11});
  CHECK_FALSE(same_weights(split.get_weights(), last_rows.get_weights()));
}

TEST_CASE("History has per-epoch loss, accuracy, val_loss and val_accuracy; validation_data gives the val_ keys") {
  Matrix x = inputs(24, 2, 3), xv = inputs(9, 2, 4);
  Matrix y = labels_for(x), yv = labels_for(xv);
  nn::Sequential model = classifier(6);
  nn::History h = model.fit(x, y, {.epochs = 4, .batch_size = 5, .validation_data = Dataset{xv, yv}, .verbose = 0});
  std::set<std::string> keys;
  for (const auto& [k, v] : h.history) {
    keys.insert(k);
    CHECK(v.size() == 4);
  }
  CHECK(keys == std::set<std::string>{"accuracy", "loss", "val_accuracy", "val_loss"});
  CHECK(h.epoch == std::vector<int>{0, 1, 2, 3});
  CHECK(h.size() == 4);
  nn::Logs now = model.evaluate(xv, yv);
  CHECK(h["val_loss"].back() == doctest::Approx(now["loss"]));
  CHECK(h["val_accuracy"].back() == doctest::Approx(now["accuracy"]));
  CHECK_THROWS_WITH_AS(h["val_acc"], doctest::Contains("Keys: accuracy, loss, val_accuracy, val_loss"), Error);

  nn::Sequential plain = classifier(6);
  nn::History hp = plain.fit(x, y, {.epochs = 2, .verbose = 0});
  CHECK(hp.history.size() == 2);  // loss, accuracy: no val_ keys without validation
  CHECK(hp.history.count("val_loss") == 0);
}

TEST_CASE("shuffle=false walks the rows in order, the same way every time") {
  Matrix x = inputs(10, 2, 7);
  Matrix y = labels_for(x);
  nn::Sequential a = classifier(3), b = classifier(3), manual = classifier(3);
  a.fit(x, y, {.epochs = 2, .batch_size = 4, .shuffle = false, .verbose = 0, .seed = 1});
  b.fit(x, y, {.epochs = 2, .batch_size = 4, .shuffle = false, .verbose = 0, .seed = 2});  // seed unused
  CHECK(same_weights(a.get_weights(), b.get_weights()));
  for (int epoch = 0; epoch < 2; ++epoch) {
    manual.train_on_batch(x.topRows(4), y.topRows(4));
    manual.train_on_batch(x.middleRows(4, 4), y.middleRows(4, 4));
    manual.train_on_batch(x.bottomRows(2), y.bottomRows(2));
  }
  CHECK(same_weights(a.get_weights(), manual.get_weights()));

  // Shuffling changes the batches, and a seed repeats them.
  nn::Sequential s1 = classifier(3), s2 = classifier(3), s3 = classifier(3);
  s1.fit(x, y, {.epochs = 2, .batch_size = 4, .shuffle = true, .verbose = 0, .seed = 1});
  s2.fit(x, y, {.epochs = 2, .batch_size = 4, .shuffle = true, .verbose = 0, .seed = 1});
  s3.fit(x, y, {.epochs = 2, .batch_size = 4, .shuffle = true, .verbose = 0, .seed = 2});
  CHECK(same_weights(s1.get_weights(), s2.get_weights()));
  CHECK_FALSE(same_weights(s1.get_weights(), a.get_weights()));
  CHECK_FALSE(same_weights(s1.get_weights(), s3.get_weights()));
}

TEST_CASE("a callback that sets stop_training ends fit early") {
  Matrix x = inputs(20, 2, 8);
  Matrix y = labels_for(x);

  struct StopAfterBatch : nn::Callback {
    int epochs_ended = 0;
    void on_batch_end(int batch, const nn::Logs&) override {
      if (batch == 1) model().stop_training = true;
    }
    void on_epoch_end(int, nn::Logs&) override { ++epochs_ended; }
  };
  auto mid_epoch = std::make_shared<StopAfterBatch>();
  nn::Sequential a = classifier(1);
  nn::History ha = a.fit(x, y, {.epochs = 5, .batch_size = 4, .verbose = 0, .callbacks = {mid_epoch}});
  CHECK(ha.size() == 1);
  CHECK(mid_epoch->epochs_ended == 1);  // the interrupted epoch still ends, as in Keras
  CHECK(a.optimizer().iterations() == 2);

  struct StopAfterEpoch : nn::Callback {
    void on_epoch_end(int epoch, nn::Logs&) override {
      if (epoch == 2) model().stop_training = true;
    }
  };
  nn::Sequential b = classifier(1);
  nn::History hb =
      b.fit(x, y, {.epochs = 10, .batch_size = 4, .verbose = 0, .callbacks = {std::make_shared<StopAfterEpoch>()}});
  CHECK(hb.size() == 3);
  CHECK(b.optimizer().iterations() == 3 * 5);

  // stop_training from an earlier fit does not leak into the next one.
  nn::History again = b.fit(x, y, {.epochs = 2, .batch_size = 4, .verbose = 0});
  CHECK(again.size() == 2);
}

TEST_CASE("GD takes one full-batch step per epoch and stops once converged") {
  // Linear regression y = 2x - 1: a convex problem GD solves.
  Matrix x = inputs(16, 1, 9);
  Matrix y = (x.array() * 2 - 1).matrix();
  auto recorder = std::make_shared<Recorder>();
  struct LargestUpdate : nn::Callback {
    std::vector<double> per_epoch;
    void on_epoch_end(int, nn::Logs&) override {
      per_epoch.push_back(dynamic_cast<optim::GD&>(model().optimizer()).largest_update());
    }
  };
  auto updates = std::make_shared<LargestUpdate>();

  nn::Sequential model({.seed = 2});
  model.add(nn::Input(1));
  model.add(nn::Dense(1));
  model.compile("mse", optim::GD({.learning_rate = 0.1, .tolerance = 1e-4}));
  nn::History h = model.fit(x, y, {.epochs = 5000, .batch_size = 4, .verbose = 0, .callbacks = {recorder, updates}});

  const std::size_t epochs = h.size();
  CHECK(epochs > 10);
  CHECK(epochs < 5000);  // stopped by the tolerance, not the epoch count
  for (std::size_t e = 0; e < epochs; ++e) CHECK(recorder->iterations_at_epoch_end[e] == std::int64_t(e) + 1);
  CHECK(recorder->batch_logs.size() == epochs);  // one batch per epoch, whatever batch_size says
  CHECK(updates->per_epoch.back() <= 1e-4);
  CHECK(updates->per_epoch[epochs - 2] > 1e-4);  // it stopped at the first converged epoch
  auto w = model.get_weights();
  CHECK(w[0](0, 0) == doctest::Approx(2).epsilon(0.01));
  CHECK(w[1](0, 0) == doctest::Approx(-1).epsilon(0.01));

  nn::Sequential never({.seed = 2});
  never.add(nn::Input(1));
  never.add(nn::Dense(1));
  never.compile("mse", optim::GD({.learning_rate = 0.1, .tolerance = 0}));
  CHECK(never.fit(x, y, {.epochs = 40, .verbose = 0}).size() == 40);
  CHECK(never.optimizer().iterations() == 40);
}

TEST_CASE("verbose=0 prints nothing; verbose=2 prints one line per epoch") {
  Matrix x = inputs(12, 2, 10);
  Matrix y = labels_for(x);
  std::ostringstream captured;
  std::streambuf* saved = std::cout.rdbuf(captured.rdbuf());
  try {
    nn::Sequential quiet = classifier(1);
    quiet.fit(x, y, {.epochs = 3, .batch_size = 4, .validation_split = 0.25, .verbose = 0});
    quiet.evaluate(x, y);
    quiet.predict(x);
  } catch (...) {
    std::cout.rdbuf(saved);
    throw;
  }
  std::string silent = captured.str();
  nn::Sequential chatty = classifier(1);
  chatty.fit(x, y, {.epochs = 2, .batch_size = 4, .verbose = 2});
  std::cout.rdbuf(saved);
  std::string loud = captured.str();

  CHECK(silent.empty());
  CHECK(loud.find("Epoch 1/2\n") != std::string::npos);
  CHECK(loud.find("Epoch 2/2\n") != std::string::npos);
  CHECK(loud.find("3/3 - ") != std::string::npos);
  CHECK(loud.find(" - loss: ") != std::string::npos);
  CHECK(loud.find(" - accuracy: ") != std::string::npos);
}

TEST_CASE("verbose=1 off a terminal prints one summary line per epoch; on a terminal, a live bar redrawn in place") {
  nn::Logs logs{{"loss", 0.5}, {"accuracy", 0.75}};
  auto run = [&](int verbose, bool terminal) {
    std::ostringstream out;
    nn::ProgressLogger progress(verbose, out, terminal);
    progress.set_params({.epochs = 2, .steps = 3, .verbose = verbose});
    for (int epoch = 0; epoch < 2; ++epoch) {
      progress.on_epoch_begin(epoch);
      for (int batch = 0; batch < 3; ++batch) progress.on_batch_end(batch, logs);
      progress.on_epoch_end(epoch, logs);
    }
    return out.str();
  };
  auto count = [](const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  for (auto [verbose, terminal] : {std::pair{1, false}, std::pair{2, false}, std::pair{2, true}}) {
    CAPTURE(verbose);
    CAPTURE(terminal);
    const std::string plain = run(verbose, terminal);
    CHECK(count(plain, "\n") == 4);  // per epoch: "Epoch k/2" and its summary
    CHECK(plain.find("Epoch 1/2\n3/3 - ") != std::string::npos);
    CHECK(plain.find(" - accuracy: 0.7500 - loss: 0.5000\n") != std::string::npos);
    CHECK(plain.find('\r') == std::string::npos);
    CHECK(plain.find("━") == std::string::npos);
  }
  const std::string live = run(1, true);
  // The last batch always draws (earlier ones within 50 ms of a draw may not), then the epoch's final line.
  CHECK(count(live, "\r\33[2K") >= 2 * 2);
  CHECK(live.find("3/3 ━━━━━━━━━━━━━━━━━━━━ ") != std::string::npos);
  CHECK(count(live, "\n") == 4);
}

TEST_CASE("descent::set_output sends the progress bar and the callbacks' messages elsewhere, or silences them") {
  Matrix x = inputs(12, 2, 10);
  Matrix y = labels_for(x);
  // restore_best_weights with verbose=1 always says, at the end of fit, which epoch it restores.
  auto restoring = [] {
    return std::make_shared<nn::EarlyStopping>(
        nn::EarlyStoppingOptions{.monitor = "loss", .patience = 100, .verbose = 1, .restore_best_weights = true});
  };
  std::ostringstream captured;
  std::ostream* previous = set_output(&captured);
  std::string redirected, after_silenced;
  try {
    nn::Sequential model = classifier(1);
    model.fit(x, y, {.epochs = 3, .batch_size = 4, .verbose = 2, .callbacks = {restoring()}});
    redirected = captured.str();
    set_output(nullptr);
    model.fit(x, y, {.epochs = 2, .batch_size = 4, .verbose = 2, .callbacks = {restoring()}});
    after_silenced = captured.str();
  } catch (...) {
    set_output(previous);
    throw;
  }
  set_output(previous);
  CHECK(redirected.find("Epoch 3/3\n3/3 - ") != std::string::npos);  // 12 rows in batches of 4: 3 steps
  CHECK(redirected.find("Restoring model weights from the end of the best epoch") != std::string::npos);
  CHECK(after_silenced == redirected);  // the silenced fit, its progress bar and its callback printed nothing
  CHECK(&output() == previous);
}
