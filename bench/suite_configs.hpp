// The benchmark suite's configurations B1-B5 (issue #7) and their synthetic data, shared by every implementation.
#pragma once

#include <descent/descent.hpp>

#include <string>
#include <vector>

namespace bench {

using descent::Index;
using descent::Matrix;

struct Config {
  std::string name;           // "B1"
  std::string title;          // "small-classifier"
  std::vector<Index> widths;  // input, hidden..., output; hidden layers use relu
  std::string optimizer;      // "sgd", "momentum" (SGD 0.01, momentum 0.9) or "adam" (1e-3)
  Index batch;
  Index samples;
  bool inference = false;  // predict only (B5)

  bool binary() const { return widths.back() == 1; }
  double learning_rate() const { return optimizer == "adam" ? 1e-3 : 0.01; }
  double momentum() const { return optimizer == "momentum" ? 0.9 : 0.0; }
  Index parameters() const {
    Index n = 0;
    for (std::size_t i = 1; i < widths.size(); ++i) n += (widths[i - 1] + 1) * widths[i];
    return n;
  }
};

inline const std::vector<Config>& configs() {
  static const std::vector<Config> all = {
      {"B1", "small-classifier", {30, 16, 8, 1}, "sgd", 32, 32768},
      {"B2", "mnist-mlp", {784, 256, 128, 10}, "momentum", 128, 16384},
      {"B3", "wide", {512, 1024, 1024, 10}, "adam", 256, 8192},
      {"B4", "per-sample", {784, 256, 128, 10}, "momentum", 1, 2048},
      {"B5", "inference", {784, 256, 128, 10}, "momentum", 1024, 16384, true},
  };
  return all;
}

/// The configuration named `name` ("B1".."B5"); throws listing the names otherwise.
const Config& config(const std::string& name);

/// Gaussian features from a fixed seed, labels from a random linear rule (one-hot for several outputs).
descent::Dataset make_data(const Config& c);

}  // namespace bench
