// keras.io's MNIST convnet on Fashion-MNIST, line for line:
//
//   model = keras.Sequential([keras.Input(shape=(28, 28, 1)),
//       layers.Conv2D(32, kernel_size=(3, 3), activation="relu"), layers.MaxPooling2D(pool_size=(2, 2)),
//       layers.Conv2D(64, kernel_size=(3, 3), activation="relu"), layers.MaxPooling2D(pool_size=(2, 2)),
//       layers.Flatten(), layers.Dropout(0.5), layers.Dense(10, activation="softmax")])
//   model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
//   model.fit(x_train, y_train, batch_size=128, epochs=15, validation_split=0.1)
//
//   fashion_mnist_cnn          a quick run: 4000 training images, 3 epochs; fails below 65 % test accuracy (CI)
//   fashion_mnist_cnn --full   all 60000 training images, 15 epochs (README: the accuracy and time it reaches)
#include <descent/descent.hpp>

#include <chrono>
#include <cstring>
#include <iostream>

using namespace descent;

int main(int argc, char** argv) try {
  const bool full = argc > 1 && std::strcmp(argv[1], "--full") == 0;
  const Index train_samples = full ? 60000 : 4000, test_samples = full ? 10000 : 2000;
  const int epochs = full ? 15 : 3;

  data::FashionMnist fashion = data::load_fashion_mnist();
  // Pixels 0-255 to [0, 1], as the Keras example's x / 255.
  const Matrix x_train = fashion.train.x.topRows(train_samples) / Scalar(255);
  const Matrix y_train = fashion.train.y.topRows(train_samples);
  const Matrix x_test = fashion.test.x.topRows(test_samples) / Scalar(255);
  const Matrix y_test = fashion.test.y.topRows(test_samples);

  nn::Sequential model;
  model.add(nn::Input({28, 28, 1}));
  model.add(nn::Conv2D(32, {3, 3}, {.activation = "relu"}));
  model.add(nn::MaxPooling2D({2, 2}));
  model.add(nn::Conv2D(64, {3, 3}, {.activation = "relu"}));
  model.add(nn::MaxPooling2D({2, 2}));
  model.add(nn::Flatten());
  model.add(nn::Dropout(0.5));
  model.add(nn::Dense(10, {.activation = "softmax"}));
  model.compile("sparse_categorical_crossentropy", "adam", {"accuracy"});
  model.summary(std::cout);

  const auto start = std::chrono::steady_clock::now();
  model.fit(x_train, y_train, {.epochs = epochs, .batch_size = 128, .validation_split = 0.1, .verbose = 2});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nn::Logs scores = model.evaluate(x_test, y_test);
  std::cout << "trained " << epochs << " epochs on " << train_samples << " images in " << seconds << " s\n"
            << "test accuracy " << scores["accuracy"] << " (" << test_samples << " images)\n";
  // A net that learned nothing scores 10 %; the quick run reaches about 75 %.
  if (!full && scores["accuracy"] < 0.65) {
    std::cerr << "error: test accuracy below 65 %\n";
    return 1;
  }
} catch (const descent::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
