// Trains a binary classifier on the Wisconsin breast-cancer data and reports its test accuracy.
#include <descent/descent.hpp>

#include <iostream>

using namespace descent;

int main(int argc, char** argv) try {
  const std::string path = argc > 1 ? argv[1] : DESCENT_DATASETS "/breast_cancer.csv";

  auto [x, y] = data::read_csv(path, {.label = "malignant"});
  auto [train, test] = data::train_test_split(x, y, {.test_size = 0.2, .seed = 7, .stratify = true});
  data::StandardScaler scaler;
  scaler.fit(train.x);

  nn::Sequential model;
  model.add(nn::Input(30));
  model.add(nn::Dense(16, {.activation = "relu"}));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));
  model.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.05, .momentum = 0.9}), {"accuracy"});
  model.summary(std::cout);

  nn::History history = model.fit(scaler.transform(train.x), train.y,
                                  {.epochs = 50, .batch_size = 32, .validation_split = 0.1, .verbose = 2});
  nn::Logs scores = model.evaluate(scaler.transform(test.x), test.y);

  std::cout << "trained " << history.size() << " epochs on " << train.x.rows() << " samples\n"
            << "test loss " << scores["loss"] << ", test accuracy " << scores["accuracy"] << " (" << test.x.rows()
            << " samples)\n";
} catch (const descent::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
