// Times Sequential::fit on synthetic data and prints samples per second (median of repeated runs).
#include <descent/descent.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <vector>

using namespace descent;

namespace {

struct Case {
  const char* name;
  std::vector<Index> widths;  // input, hidden..., output
  const char* loss;
  double momentum;
  Index batch;
  Index samples;
};

// Synthetic data from a fixed seed: Gaussian features; labels from a random linear rule so training has signal.
Dataset make_data(const Case& c, Rng& rng) {
  Index in = c.widths.front(), out = c.widths.back();
  Dataset d{Matrix(c.samples, in), Matrix(c.samples, out == 1 ? 1 : out)};
  for (Index i = 0; i < d.x.size(); ++i) d.x.data()[i] = static_cast<Scalar>(standard_normal(rng));
  Matrix w(in, std::max<Index>(out, 1));
  for (Index i = 0; i < w.size(); ++i) w.data()[i] = static_cast<Scalar>(standard_normal(rng));
  Matrix score = d.x * w;
  d.y.setZero();
  for (Index i = 0; i < c.samples; ++i) {
    if (out == 1) {
      d.y(i, 0) = score(i, 0) > 0 ? 1 : 0;
    } else {
      Index k;
      score.row(i).maxCoeff(&k);
      d.y(i, k) = 1;
    }
  }
  return d;
}

double run_once(const Case& c, const Dataset& d) {
  nn::Sequential model({.seed = 1});
  model.add(nn::Input(c.widths.front()));
  for (std::size_t i = 1; i + 1 < c.widths.size(); ++i) model.add(nn::Dense(c.widths[i], {.activation = "relu"}));
  model.add(nn::Dense(c.widths.back(), {.activation = c.widths.back() == 1 ? "sigmoid" : "softmax"}));
  model.compile(c.loss, optim::SGD({.learning_rate = 0.01, .momentum = c.momentum}));
  auto start = std::chrono::steady_clock::now();
  model.fit(d.x, d.y, {.epochs = 1, .batch_size = c.batch, .verbose = 0});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<double>(c.samples) / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const std::vector<Case> cases = {
      {"small-classifier 30-16-8-1", {30, 16, 8, 1}, "binary_crossentropy", 0.0, 32, 32768},
      {"mnist-mlp 784-256-128-10", {784, 256, 128, 10}, "categorical_crossentropy", 0.9, 128, 16384},
  };
  std::cout << "threads " << num_threads() << ", Scalar " << (sizeof(Scalar) == 4 ? "float" : "double") << ", median of "
            << runs << " runs after a warm-up\n";
  for (const Case& c : cases) {
    Rng rng(7);
    Dataset d = make_data(c, rng);
    run_once(c, d);  // warm-up
    std::vector<double> rates;
    for (int r = 0; r < runs; ++r) rates.push_back(run_once(c, d));
    std::sort(rates.begin(), rates.end());
    std::cout << std::left << std::setw(30) << c.name << " batch " << std::setw(4) << c.batch << std::right
              << std::setw(12) << static_cast<long>(rates[rates.size() / 2]) << " samples/s\n";
  }
}
