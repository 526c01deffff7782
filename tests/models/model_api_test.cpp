// What a Keras user reaches for around a model: the program's seed, printing logs and histories, class ids.
#include <descent/descent.hpp>

#include <doctest/doctest.h>

#include "support/matrices.hpp"

#include <sstream>

using namespace descent;

namespace {

Matrix first_kernel(std::optional<std::uint64_t> seed) {
  nn::Sequential model({.seed = seed});
  model.add(nn::Input(4));
  model.add(nn::Dense(3));
  return model.get_weights()[0];
}

}  // namespace

TEST_CASE("models without a seed take the program's seed sequence: different models, the same program run") {
  set_random_seed(7);
  const Matrix a = first_kernel(std::nullopt), b = first_kernel(std::nullopt);
  CHECK(a != b);  // two new models of one program draw different weights
  set_random_seed(7);
  CHECK(first_kernel(std::nullopt) == a);  // the whole sequence repeats: the program is reproducible
  CHECK(first_kernel(std::nullopt) == b);
  CHECK(a == first_kernel(7));  // the first model takes the program seed itself
  set_random_seed(8);
  CHECK(first_kernel(std::nullopt) != a);
  set_random_seed(42);  // the sequence every program starts with
  CHECK(first_kernel(std::nullopt) == first_kernel(42));
}

TEST_CASE("Logs and History print readably, in Keras's order") {
  std::ostringstream out;
  out << nn::Logs{{"accuracy", 0.98254}, {"loss", 0.07311}, {"val_loss", 0.1}, {"val_accuracy", 0.96}};
  CHECK(out.str() == "loss: 0.0731 - accuracy: 0.9825 - val_loss: 0.1000 - val_accuracy: 0.9600");

  nn::History h;
  h.epoch = {0, 1};
  h.history = {{"loss", {0.5, 0.25}}, {"accuracy", {0.75, 1.0}}};
  std::ostringstream printed;
  printed << h;
  CHECK(printed.str() == "Epoch 1: loss: 0.5000 - accuracy: 0.7500\nEpoch 2: loss: 0.2500 - accuracy: 1.0000\n");
  h.interrupted = true;
  printed.str("");
  printed << h;
  CHECK(printed.str().ends_with("(interrupted)\n"));
}

TEST_CASE("predict_classes: argmax of several outputs, 0.5 on a probability, 0 on a logit") {
  nn::Sequential softmax({.seed = 1});
  softmax.add(nn::Input(2));
  softmax.add(nn::Dense(2, {.activation = "softmax"}));
  softmax.set_weights({Matrix::Identity(2, 2), Matrix::Zero(1, 2)});
  CHECK(softmax.predict_classes(testing::matrix({{1, 3}, {5, 2}})) == std::vector<Index>{1, 0});

  nn::Sequential sigmoid({.seed = 1});
  sigmoid.add(nn::Input(1));
  sigmoid.add(nn::Dense(1, {.activation = "sigmoid"}));
  sigmoid.set_weights({Matrix::Ones(1, 1), Matrix::Zero(1, 1)});
  CHECK(sigmoid.predict_classes(testing::matrix({{-1}, {0.5}})) == std::vector<Index>{0, 1});  // p 0.27, 0.62

  nn::Sequential logits({.seed = 1});
  logits.add(nn::Input(1));
  logits.add(nn::Dense(1));
  logits.set_weights({Matrix::Ones(1, 1), Matrix::Zero(1, 1)});
  logits.compile(losses::BinaryCrossentropy({.from_logits = true}), "sgd");
  CHECK(logits.predict_classes(testing::matrix({{0.2}, {-0.1}})) == std::vector<Index>{1, 0});
}
