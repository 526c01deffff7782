// Three-class classification of Fisher's iris flowers: softmax output, sparse categorical cross-entropy.
#include <descent/descent.hpp>

#include <iostream>

using namespace descent;

int main(int argc, char** argv) try {
  const std::string path = argc > 1 ? argv[1] : DESCENT_DATASETS "/iris.csv";

  auto [x, y] = data::read_csv(path, {.label = "species"});  // labels 0, 1, 2
  auto [train, test] = data::train_test_split(x, y, {.test_size = 0.2, .seed = 3, .stratify = true});
  data::StandardScaler scaler;
  scaler.fit(train.x);

  nn::Sequential model;
  model.add(nn::Input(4));
  model.add(nn::Dense(16, {.activation = "relu"}));
  model.add(nn::Dense(3, {.activation = "softmax"}));
  model.compile("sparse_categorical_crossentropy", optim::SGD({.learning_rate = 0.05, .momentum = 0.9}),
                {"accuracy"});
  model.fit(scaler.transform(train.x), train.y, {.epochs = 100, .batch_size = 16, .verbose = 0});

  nn::Logs scores = model.evaluate(scaler.transform(test.x), test.y);
  std::cout << "test loss " << scores["loss"] << ", test accuracy " << scores["accuracy"] << " (" << test.x.rows()
            << " samples)\n";
} catch (const descent::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
