// One implementation (Descent or the speed-of-light loop) on one suite configuration: a warm-up, then timed epochs,
// each printed as "<impl> <config> <threads> <samples per second>" (or, for "pair", both alternating and their ratio).
// bench/run.py interleaves these with PyTorch.
#include "speed_of_light.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

using namespace descent;

namespace {

void compile(nn::Model& model, const bench::Config& c) {
  const std::string loss = c.binary() ? "binary_crossentropy" : "categorical_crossentropy";
  if (c.optimizer == "adam")
    model.compile(loss, optim::Adam({.learning_rate = c.learning_rate()}));
  else
    model.compile(loss, optim::SGD({.learning_rate = c.learning_rate(), .momentum = c.momentum()}));
}

nn::Sequential make_model(const bench::Config& c) {
  nn::Sequential model({.seed = 1});
  if (c.convnet()) {
    model.add(nn::Input(Shape(c.image)));
    for (const bench::Conv& conv : c.convs) {
      const std::string padding = conv.same ? "same" : "valid";
      switch (conv.kind) {
        case bench::ConvKind::conv2d:
          model.add(nn::Conv2D(conv.filters, conv.kernel,
                               {.strides = conv.strides, .padding = padding, .activation = "relu"}));
          break;
        case bench::ConvKind::separable:
          model.add(nn::SeparableConv2D(conv.filters, conv.kernel,
                                        {.strides = conv.strides, .padding = padding, .activation = "relu"}));
          break;
        case bench::ConvKind::depthwise:  // filters equals the input's channels: depth_multiplier 1
          model.add(
              nn::DepthwiseConv2D(conv.kernel, {.strides = conv.strides, .padding = padding, .activation = "relu"}));
          break;
        case bench::ConvKind::transpose:
          model.add(nn::Conv2DTranspose(conv.filters, conv.kernel,
                                        {.strides = conv.strides, .padding = padding, .activation = "relu"}));
          break;
      }
      if (conv.pool) model.add(nn::MaxPooling2D(2));
    }
    model.add(nn::Flatten());
    if (c.dropout > 0) model.add(nn::Dropout(c.dropout));
  } else {
    model.add(nn::Input(c.widths.front()));
  }
  for (std::size_t i = 1; i + 1 < c.widths.size(); ++i) model.add(nn::Dense(c.widths[i], {.activation = "relu"}));
  model.add(nn::Dense(c.widths.back(), {.activation = c.binary() ? "sigmoid" : "softmax"}));
  compile(model, c);
  // The configuration's own count (Keras's formulas), which bench/run.py's memory budget and bench/gemm rely on.
  if (model.count_params() != c.parameters())
    throw Error(c.name + ": the model has " + std::to_string(model.count_params()) + " parameters; its configuration "
                "counts " + std::to_string(c.parameters()));
  return model;
}

// The same chain written with the Functional API: the Sequential's layers, cloned and called in order. The same seed
// draws the same weights in the same order, so both train the same numbers.
nn::Model make_graph(const bench::Config& c) {
  const nn::Sequential chain = make_model(c);
  nn::Input in(chain.input_shape());
  nn::SymbolicTensor t = in;
  for (std::size_t i = 0; i < chain.size(); ++i) t = (*chain.layer(i).clone())(t);
  nn::Model model(in, t, {.seed = 1});
  compile(model, c);
  return model;
}

double descent_seconds(const bench::Config& c, const Dataset& d, bool graph = false) {
  nn::Model model = graph ? make_graph(c) : nn::Model(make_model(c));
  const auto start = std::chrono::steady_clock::now();
  if (c.inference) {
    Matrix p = model.predict(d.x, {.batch_size = c.batch});
    if (!p.allFinite()) throw Error("predict went non-finite");
  } else {
    model.fit(d.x, d.y, {.epochs = 1, .batch_size = c.batch, .verbose = 0});
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 3) {
    std::cerr << "usage: suite descent|sol|pair|graph|data B1..B8 [threads=1] [runs=1]\n";
    return 2;
  }
  const std::string impl = argv[1];
  const bench::Config& c = bench::config(argv[2]);
  const int threads = argc > 3 ? std::atoi(argv[3]) : 1;
  const int runs = argc > 4 ? std::atoi(argv[4]) : 1;
  if (impl != "descent" && impl != "sol" && impl != "data" && impl != "pair" && impl != "graph")
    throw Error("unknown implementation \"" + impl + "\"; expected descent, sol, pair, graph or data");
  set_num_threads(threads);
  const Dataset d = bench::make_data(c);
  if (impl == "data") return 0;  // the memory floor: the process and its data set, no training
  if (impl == "graph") {
    // The Functional chain and the Sequential epoch by epoch, alternating, each pair printed as "graph <config>
    // <threads> <Functional's samples/s> <Sequential's> <Functional's / Sequential's>".
    descent_seconds(c, d, true);
    descent_seconds(c, d);
    double total = 0;
    for (int r = 1; r <= runs || total < 1.0; ++r) {
      double g, ss;
      if (r % 2) {
        g = descent_seconds(c, d, true);
        ss = descent_seconds(c, d);
      } else {
        ss = descent_seconds(c, d);
        g = descent_seconds(c, d, true);
      }
      total += g + ss;
      const double n = static_cast<double>(c.samples);
      std::cout << "graph " << c.name << " " << num_threads() << " " << static_cast<long>(n / g) << " "
                << static_cast<long>(n / ss) << " " << ss / g << std::endl;
    }
    return 0;
  }
  if (impl == "pair") {
    // Descent and the loop epoch by epoch in one process, each pair printed as "pair <config> <threads> <Descent's
    // samples/s> <the loop's> <Descent's / the loop's>": the two share the process, its data and the machine's mood
    // of the moment, so their ratio is steadier than that of separate processes (B1's epochs last milliseconds).
    // Which of the two goes first alternates, so that neither always inherits the other's cache.
    descent_seconds(c, d);
    bench::speed_of_light_epoch(c, d, 0);
    double total = 0;
    for (int r = 1; r <= runs || total < 1.0; ++r) {
      double ds, ls;
      if (r % 2) {
        ds = descent_seconds(c, d);
        ls = bench::speed_of_light_epoch(c, d, r);
      } else {
        ls = bench::speed_of_light_epoch(c, d, r);
        ds = descent_seconds(c, d);
      }
      total += ds + ls;
      const double n = static_cast<double>(c.samples);
      std::cout << "pair " << c.name << " " << num_threads() << " " << static_cast<long>(n / ds) << " "
                << static_cast<long>(n / ls) << " " << ls / ds << std::endl;
    }
    return 0;
  }
  auto seconds = [&](int epoch) {
    return impl == "descent" ? descent_seconds(c, d) : bench::speed_of_light_epoch(c, d, epoch);
  };
  seconds(0);  // warm-up: page in the data, spin up the thread pool
  // At least `runs` timed epochs and half a second of them: B1's epoch lasts milliseconds, too short to time once
  // on a shared machine.
  double total = 0;
  for (int r = 1; r <= runs || total < 0.5; ++r) {
    const double s = seconds(r);
    total += s;
    std::cout << impl << " " << c.name << " " << num_threads() << " "
              << static_cast<long>(static_cast<double>(c.samples) / s) << std::endl;
  }
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
