// load_fashion_mnist: the real data set from Debian's dataset-fashion-mnist, and hand-made directories for errors.
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <zlib.h>

#include <descent/descent.hpp>
#include <array>
#include <cmath>
#include <string>
#include <vector>

using descent::testing::TempDir;

using namespace descent;

namespace {

// An unsigned-byte IDX file of the given dimensions: the header spelled out, then `values`.
std::string idx_file(const std::vector<std::uint32_t>& dims, const std::vector<unsigned char>& values) {
  std::string out{'\0', '\0', '\x08', static_cast<char>(dims.size())};
  for (std::uint32_t d : dims)
    for (int shift : {24, 16, 8, 0}) out += static_cast<char>(d >> shift & 0xFF);
  out.append(values.begin(), values.end());
  return out;
}

void write_gzip(const std::string& path, const std::string& contents) {
  gzFile file = gzopen(path.c_str(), "wb");
  REQUIRE(file != nullptr);
  REQUIRE(gzwrite(file, contents.data(), static_cast<unsigned>(contents.size())) == static_cast<int>(contents.size()));
  REQUIRE(gzclose(file) == Z_OK);
}

// A directory laid out as the Debian package's: `train` and `test` images of `size` x `size` pixels, image i all
// pixels i, labels as given.
void write_set(const TempDir& dir, std::vector<unsigned char> train_labels, std::vector<unsigned char> test_labels,
               std::uint32_t size = 28) {
  for (const auto& [prefix, labels] : {std::pair{"train", train_labels}, std::pair{"t10k", test_labels}}) {
    const auto n = static_cast<std::uint32_t>(labels.size());
    std::vector<unsigned char> pixels;
    for (std::uint32_t i = 0; i < n; ++i) pixels.insert(pixels.end(), size * size, static_cast<unsigned char>(i));
    write_gzip(dir / (std::string(prefix) + "-images-idx3-ubyte.gz"), idx_file({n, size, size}, pixels));
    write_gzip(dir / (std::string(prefix) + "-labels-idx1-ubyte.gz"), idx_file({n}, labels));
  }
}

}  // namespace

TEST_CASE("load_fashion_mnist reads Debian's Fashion-MNIST: 60000 + 10000 images of 784 pixels, 0-255") {
  // The project installs the package (scripts/install-deps.sh), so its absence is a failure, not a skip.
  const data::FashionMnist fashion = data::load_fashion_mnist();
  REQUIRE(fashion.train.x.rows() == 60000);
  REQUIRE(fashion.train.x.cols() == 784);
  REQUIRE(fashion.train.y.rows() == 60000);
  REQUIRE(fashion.train.y.cols() == 1);
  REQUIRE(fashion.test.x.rows() == 10000);
  REQUIRE(fashion.test.x.cols() == 784);
  REQUIRE(fashion.test.y.rows() == 10000);

  for (const Dataset* set : {&fashion.train, &fashion.test}) {
    CHECK(set->x.minCoeff() == 0);
    CHECK(set->x.maxCoeff() == 255);
    CHECK((set->x.array() == set->x.array().round()).all());
  }
  // Fashion-MNIST is balanced: 6000 of each class in training, 1000 in test (zalandoresearch/fashion-mnist README).
  std::array<Index, 10> train_counts{}, test_counts{};
  for (Index i = 0; i < 60000; ++i) ++train_counts.at(static_cast<std::size_t>(fashion.train.y(i, 0)));
  for (Index i = 0; i < 10000; ++i) ++test_counts.at(static_cast<std::size_t>(fashion.test.y(i, 0)));
  for (std::size_t k = 0; k < 10; ++k) {
    CAPTURE(k);
    CHECK(train_counts[k] == 6000);
    CHECK(test_counts[k] == 1000);
  }
  // The first image of each set is an ankle boot, as keras.datasets.fashion_mnist shows it.
  CHECK(fashion.train.y(0, 0) == 9);
  CHECK(fashion.test.y(0, 0) == 9);
  // The training pixels' mean and standard deviation over 255, the usual normalization constants 0.2860, 0.3530.
  const double mean = fashion.train.x.cast<double>().mean() / 255;
  const double stddev =
      std::sqrt((fashion.train.x.cast<double>().array() / 255 - mean).square().mean());
  CHECK(mean == doctest::Approx(0.2860).epsilon(0.0005));
  CHECK(stddev == doctest::Approx(0.3530).epsilon(0.0005));

  CHECK(fashion.class_names == std::vector<std::string>{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                         "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"});
}

TEST_CASE("load_fashion_mnist reads a directory laid out as the package's") {
  TempDir dir("fashion");
  write_set(dir, {3, 0, 9}, {1, 8});
  const data::FashionMnist fashion = data::load_fashion_mnist(dir.path.string());
  REQUIRE(fashion.train.x.rows() == 3);
  REQUIRE(fashion.train.x.cols() == 784);
  CHECK((fashion.train.x.row(2).array() == 2).all());
  CHECK(fashion.train.y == (Matrix(3, 1) << 3, 0, 9).finished());
  REQUIRE(fashion.test.x.rows() == 2);
  CHECK((fashion.test.x.row(1).array() == 1).all());
  CHECK(fashion.test.y == (Matrix(2, 1) << 1, 8).finished());
  CHECK(fashion.class_names.size() == 10);
}

TEST_CASE("load_fashion_mnist: a missing directory or file names the path and the command that installs it") {
  TempDir dir("fashion");
  const std::string missing = dir / "nowhere";
  CHECK_THROWS_WITH_AS(data::load_fashion_mnist(missing),
                       (missing + ": no such directory. Fashion-MNIST comes with Debian's dataset-fashion-mnist "
                                  "package, which installs it in /usr/share/datasets/fashion-mnist: sudo apt-get "
                                  "install dataset-fashion-mnist")
                           .c_str(),
                       Error);
  write_set(dir, {1}, {1});
  std::filesystem::remove(dir / "t10k-labels-idx1-ubyte.gz");
  CHECK_THROWS_WITH_AS(data::load_fashion_mnist(dir.path.string()),
                       (dir / "t10k-labels-idx1-ubyte.gz" +
                        ": no such file. Fashion-MNIST comes with Debian's dataset-fashion-mnist package, which "
                        "installs it in /usr/share/datasets/fashion-mnist: sudo apt-get install dataset-fashion-mnist")
                           .c_str(),
                       Error);
  CHECK_THROWS_WITH_AS(
      data::load_fashion_mnist(dir / "train-images-idx3-ubyte.gz"),
      (dir / "train-images-idx3-ubyte.gz" +
       ": is not a directory; expected the directory holding Fashion-MNIST's four .gz files.")
          .c_str(),
      Error);
}

TEST_CASE("load_fashion_mnist: images not 28 x 28, labels beyond 9 or counts that differ are Errors naming the file") {
  TempDir dir("fashion");
  const std::string images = dir / "train-images-idx3-ubyte.gz", labels = dir / "train-labels-idx1-ubyte.gz";

  write_set(dir, {1, 2}, {1}, 27);
  CHECK_THROWS_WITH_AS(data::load_fashion_mnist(dir.path.string()),
                       (images + ": expected images of 28 x 28 unsigned bytes (dimensions N x 28 x 28, type 0x08); "
                                 "received dimensions 2 x 27 x 27 of unsigned byte.")
                           .c_str(),
                       Error);

  write_set(dir, {1, 10, 2}, {1});
  CHECK_THROWS_WITH_AS(data::load_fashion_mnist(dir.path.string()),
                       (labels + ": label 10 at index 1; expected a class index 0-9.").c_str(), Error);

  write_set(dir, {1, 2}, {1});
  write_gzip(labels, idx_file({3}, {1, 2, 3}));
  CHECK_THROWS_WITH_AS(
      data::load_fashion_mnist(dir.path.string()),
      (labels + ": 3 labels for the 2 images of " + images + "; expected one label per image.").c_str(), Error);

  write_gzip(labels, idx_file({2, 1}, {1, 2}));
  CHECK_THROWS_WITH_AS(data::load_fashion_mnist(dir.path.string()),
                       (labels + ": expected one unsigned byte per label (dimensions N, type 0x08); received "
                                 "dimensions 2 x 1 of unsigned byte.")
                           .c_str(),
                       Error);
}
