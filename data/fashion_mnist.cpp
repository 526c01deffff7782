// Fashion-MNIST's four IDX files, checked for what they must hold: 28 x 28 images, one label 0-9 per image.
#include "fashion_mnist.hpp"

#include "idx.hpp"

#include <descent/core/error.hpp>

#include <filesystem>

namespace descent::data {
namespace {

// Where the files come from, for an error about a missing one.
std::string install_hint() {
  return str("Fashion-MNIST comes with Debian's dataset-fashion-mnist package, which installs it in ",
             kFashionMnistDir, ": sudo apt-get install dataset-fashion-mnist");
}

Idx read_file(const std::string& dir, const std::string& name) {
  const std::string path = (std::filesystem::path(dir) / name).string();
  std::error_code ec;
  check_at(std::filesystem::exists(path, ec), path, "no such file. ", install_hint());
  return read_idx(path);
}

std::string dims_text(const std::vector<Index>& dims) {
  std::string text;
  for (Index d : dims) text += (text.empty() ? "" : " x ") + std::to_string(d);
  return text;
}

// One split: "<prefix>-images-idx3-ubyte.gz" and "<prefix>-labels-idx1-ubyte.gz".
Dataset read_split(const std::string& dir, const std::string& prefix) {
  const std::string images_name = prefix + "-images-idx3-ubyte.gz", labels_name = prefix + "-labels-idx1-ubyte.gz";
  const std::string images_path = (std::filesystem::path(dir) / images_name).string();
  const std::string labels_path = (std::filesystem::path(dir) / labels_name).string();
  Idx images = read_file(dir, images_name);
  check_at(images.type == 0x08 && images.dims.size() == 3 && images.dims[1] == 28 && images.dims[2] == 28,
           images_path, "expected images of 28 x 28 unsigned bytes (dimensions N x 28 x 28, type 0x08); received ",
           "dimensions ", dims_text(images.dims), " of ", idx_type_name(images.type), ".");
  Idx labels = read_file(dir, labels_name);
  check_at(labels.type == 0x08 && labels.dims.size() == 1, labels_path,
           "expected one unsigned byte per label (dimensions N, type 0x08); received dimensions ",
           dims_text(labels.dims), " of ", idx_type_name(labels.type), ".");
  check_at(labels.dims[0] == images.dims[0], labels_path, labels.dims[0], " labels for the ", images.dims[0],
           " images of ", images_path, "; expected one label per image.");
  for (Index i = 0; i < labels.values.rows(); ++i)
    check_at(labels.values(i, 0) <= 9, labels_path, "label ", labels.values(i, 0), " at index ", i,
             "; expected a class index 0-9.");
  return {std::move(images.values), std::move(labels.values)};
}

}  // namespace

FashionMnist load_fashion_mnist(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    fail_at(dir, std::filesystem::exists(dir, ec)
                     ? "is not a directory; expected the directory holding Fashion-MNIST's four .gz files."
                     : "no such directory. " + install_hint());
  }
  FashionMnist data;
  data.train = read_split(dir, "train");
  data.test = read_split(dir, "t10k");
  // The order of the labels 0-9 (https://github.com/zalandoresearch/fashion-mnist#labels).
  data.class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                      "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return data;
}

}  // namespace descent::data
