// Learns XOR, the classic problem no linear model solves, with one hidden layer.
#include <descent/descent.hpp>

#include <iostream>

using namespace descent;

int main() try {
  Matrix x(4, 2), y(4, 1);
  x << 0, 0, 0, 1, 1, 0, 1, 1;
  y << 0, 1, 1, 0;

  nn::Sequential model({.seed = 1});
  model.add(nn::Dense(8, {.activation = "tanh", .input_dim = 2}));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));
  model.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.5, .momentum = 0.9}), {"accuracy"});
  model.fit(x, y, {.epochs = 300, .batch_size = 4, .verbose = 0});

  Matrix p = model.predict(x);
  for (Index i = 0; i < x.rows(); ++i)
    std::cout << x(i, 0) << " xor " << x(i, 1) << " -> " << p(i, 0) << " (expected " << y(i, 0) << ")\n";
  std::cout << "accuracy " << model.evaluate(x, y)["accuracy"] << "\n";
} catch (const descent::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
