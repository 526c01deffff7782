// Trains XOR against the installed library; exits non-zero unless it learns it.
#include <descent/descent.hpp>

#include <iostream>

int main() {
  using namespace descent;
  Matrix x(4, 2), y(4, 1);
  x << 0, 0, 0, 1, 1, 0, 1, 1;
  y << 0, 1, 1, 0;
  nn::Sequential model({.seed = 1});
  model.add(nn::Input(2));
  model.add(nn::Dense(8, {.activation = "tanh"}));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));
  model.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.5, .momentum = 0.9}), {"accuracy"});
  model.fit(x, y, {.epochs = 300, .batch_size = 4, .verbose = 0});
  double accuracy = model.evaluate(x, y)["accuracy"];
  std::cout << "installed descent: xor accuracy " << accuracy << "\n";
  return accuracy == 1.0 ? 0 : 1;
}
