// A residual MLP with the Functional API on the Wisconsin breast-cancer data: each block adds its input back
// (x + f(x)), as keras.layers.Add does in a Keras residual network. Exits with an error below 90 % test accuracy.
#include <descent/descent.hpp>

#include <iostream>

using namespace descent;

int main(int argc, char** argv) try {
  const std::string path = argc > 1 ? argv[1] : DESCENT_DATASETS "/breast_cancer.csv";
  auto [x, y] = data::read_csv(path, {.label = "malignant"});
  auto [train, test] = data::train_test_split(x, y, {.test_size = 0.2, .seed = 7, .stratify = true});
  data::StandardScaler scaler;
  scaler.fit(train.x);

  nn::Input features(30, {.name = "features"});
  auto h = nn::Dense(16, {.activation = "relu"})(features);
  for (int block = 0; block < 2; ++block) {  // h + relu(Dense(relu(Dense(h))))
    auto f = nn::Dense(16, {.activation = "relu"})(h);
    f = nn::Dense(16)(f);
    h = nn::Activation("relu")(nn::Add()({h, f}));
  }
  auto malignant = nn::Dense(1, {.activation = "sigmoid", .name = "malignant"})(h);
  nn::Model model(features, malignant, {.name = "residual_mlp", .seed = 1});
  model.compile("binary_crossentropy", "adam", {"accuracy"});
  model.summary(std::cout);

  nn::History history =
      model.fit(scaler.transform(train.x), train.y, {.epochs = 30, .batch_size = 32, .validation_split = 0.1, .verbose = 2});
  nn::Logs scores = model.evaluate(scaler.transform(test.x), test.y);
  std::cout << "trained " << history.size() << " epochs on " << train.x.rows() << " samples\n"
            << "test loss " << scores["loss"] << ", test accuracy " << scores["accuracy"] << " (" << test.x.rows()
            << " samples)\n";
  return scores["accuracy"] >= 0.9 ? 0 : 1;
} catch (const descent::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
