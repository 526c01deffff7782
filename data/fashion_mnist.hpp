// Fashion-MNIST, as keras.datasets.fashion_mnist.load_data(), read from the Debian package's files.
#pragma once

#include <descent/core/tensor.hpp>

#include <string>
#include <vector>

namespace descent::data {

/// Where Debian's dataset-fashion-mnist package installs the four files.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

/// The training and test sets of Fashion-MNIST: x holds one image a row, 784 pixel values 0-255 (28 x 28 in reading
/// order, unscaled, as Keras returns them), y the class index 0-9, one a row.
struct FashionMnist {
  Dataset train;  ///< 60000 samples
  Dataset test;   ///< 10000 samples
  std::vector<std::string> class_names;  ///< the name of each class index: "T-shirt/top", "Trouser", ... "Ankle boot"
};

/// Reads train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and
/// t10k-labels-idx1-ubyte.gz from `dir` (read_idx). A missing directory or file is an Error naming the path and the
/// command that installs it (sudo apt-get install dataset-fashion-mnist); images that are not 28 x 28 unsigned
/// bytes, a label beyond 9, or image and label counts that differ are Errors naming the file.
FashionMnist load_fashion_mnist(const std::string& dir = kFashionMnistDir);

}  // namespace descent::data
