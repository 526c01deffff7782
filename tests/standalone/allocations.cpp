// Counts heap allocations during fit: after its first two batches, an epoch's training steps must allocate nothing.
// Both operator new and malloc are counted (support/allocation_counter.hpp); a positive control first proves each
// counter sees what it should.
#include "support/allocation_counter.hpp"

#include <descent/descent.hpp>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

using namespace descent;

namespace {

// Records the allocation count after every batch, into storage reserved up front.
class AllocationRecorder : public nn::Callback {
 public:
  explicit AllocationRecorder(std::size_t capacity) {
    counts_.reserve(capacity);
    epochs_.reserve(capacity);
    batches_.reserve(capacity);
  }
  void on_epoch_begin(int epoch) override { epoch_ = epoch; }
  void on_batch_end(int batch, const nn::Logs&) override {
    counts_.push_back(alloc_count::total());
    epochs_.push_back(epoch_);
    batches_.push_back(batch);
  }
  // The first batch from the third on (per epoch) whose step allocated, or -1; `delta` gets the count.
  long first_allocating(int& epoch, int& batch) const {
    for (std::size_t i = 1; i < counts_.size(); ++i) {
      if (batches_[i] < 2 || epochs_[i] != epochs_[i - 1]) continue;
      long delta = counts_[i] - counts_[i - 1];
      if (delta != 0) {
        epoch = epochs_[i];
        batch = batches_[i];
        return delta;
      }
    }
    return 0;
  }
  std::size_t checked_batches() const {
    std::size_t n = 0;
    for (std::size_t i = 1; i < counts_.size(); ++i) n += batches_[i] >= 2 && epochs_[i] == epochs_[i - 1];
    return n;
  }

 private:
  int epoch_ = 0;
  std::vector<long> counts_;
  std::vector<int> epochs_, batches_;
};

struct Scenario {
  std::string name;
  std::function<void(nn::Sequential&)> make;  // adds layers and compiles
  Index outputs;
  enum Targets { binary, one_hot, labels, real } targets;
  nn::FitOptions options;
  std::function<nn::Model()> graph = {};  // a Functional model instead of make's Sequential
};

Matrix make_targets(const Matrix& x, Index outputs, Scenario::Targets kind) {
  const Index n = x.rows();
  Matrix y = Matrix::Zero(n, kind == Scenario::labels ? 1 : outputs);
  for (Index i = 0; i < n; ++i) {
    Index k = (x(i, 0) > 0) + (x(i, 1) > 0);  // 0, 1 or 2
    switch (kind) {
      case Scenario::binary:
        y(i, 0) = k == 1;
        break;
      case Scenario::one_hot:
        y(i, k % outputs) = 1;
        break;
      case Scenario::labels:
        y(i, 0) = static_cast<Scalar>(k % outputs);
        break;
      case Scenario::real:
        for (Index j = 0; j < outputs; ++j) y(i, j) = static_cast<Scalar>(0.5 * std::sin(double(x(i, j))));
        break;
    }
  }
  return y;
}

// Returns true when no checked batch allocated.
bool run(const Scenario& s, const Matrix& x) {
  Matrix y = make_targets(x, s.outputs, s.targets);
  nn::Model model = s.graph ? s.graph() : [&] {
    nn::Sequential chain({.seed = 7});
    s.make(chain);
    return nn::Model(std::move(chain));
  }();
  nn::FitOptions options = s.options;
  const std::size_t capacity = static_cast<std::size_t>(options.epochs) * static_cast<std::size_t>(x.rows());
  auto recorder = std::make_shared<AllocationRecorder>(capacity);
  options.callbacks.push_back(recorder);
  options.verbose = 0;
  long before = alloc_count::total();
  nn::History h = model.fit(x, y, options);
  long during = alloc_count::total() - before;
  int epoch = -1, batch = -1;
  long delta = recorder->first_allocating(epoch, batch);
  bool ok = delta == 0 && recorder->checked_batches() > 0 && h.size() == static_cast<std::size_t>(options.epochs);
  std::printf("%-52s %s: %zu steady-state batches checked, %ld allocations in all of fit", s.name.c_str(),
              ok ? "ok  " : "FAIL", recorder->checked_batches(), during);
  if (delta != 0) std::printf("; epoch %d batch %d allocated %ld times", epoch, batch, delta);
  std::printf("\n");
  return ok;
}

// Each counter must notice an allocation, or a zero would prove nothing.
bool counters_work() {
  long news = alloc_count::news.load(), mallocs = alloc_count::mallocs.load();
  auto* boxed = new std::vector<int>(100);
  Matrix m(40, 40);
  m.setOnes();
  volatile Scalar keep = m.sum() + static_cast<Scalar>(boxed->size());
  (void)keep;
  delete boxed;
  // The vector object is an operator new; its buffer and the matrix are mallocs.
  bool ok = alloc_count::news.load() > news && alloc_count::mallocs.load() >= mallocs + 2;
  std::printf("%-52s %s: operator new counted %ld, malloc counted %ld\n", "positive control", ok ? "ok  " : "FAIL",
              alloc_count::news.load() - news, alloc_count::mallocs.load() - mallocs);
  return ok;
}

}  // namespace

int main() {
  alloc_count::install();
  bool ok = counters_work();

  // 256 samples of 8 features: 8 batches of 32 per epoch.
  Rng rng(3);
  Matrix x(256, 8);
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<Scalar>(2 * uniform01(rng) - 1);

  auto dense_stack = [](const char* hidden, const char* output, Index outputs) {
    return [=](nn::Sequential& m) {
      m.add(nn::Input(8));
      m.add(nn::Dense(16, {.activation = hidden}));
      m.add(nn::Dense(outputs, {.activation = output}));
    };
  };
  const nn::FitOptions standard{.epochs = 3, .batch_size = 32};
  std::vector<Scenario> scenarios = {
      {"8-16-1 sigmoid, binary_crossentropy, SGD",
       [&](nn::Sequential& m) {
         dense_stack("relu", "sigmoid", 1)(m);
         m.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.01}), {"accuracy"});
       },
       1, Scenario::binary, standard},
      {"8-16-1 sigmoid, binary_crossentropy, SGD momentum",
       [&](nn::Sequential& m) {
         dense_stack("relu", "sigmoid", 1)(m);
         m.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.01, .momentum = 0.9}), {"accuracy"});
       },
       1, Scenario::binary, standard},
      {"8-16-1 sigmoid, binary_crossentropy, SGD Nesterov",
       [&](nn::Sequential& m) {
         dense_stack("tanh", "sigmoid", 1)(m);
         m.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.01, .momentum = 0.9, .nesterov = true}),
                   {"accuracy", "binary_crossentropy"});
       },
       1, Scenario::binary, standard},
      {"8-16-3 softmax, categorical_crossentropy, momentum",
       [&](nn::Sequential& m) {
         dense_stack("relu", "softmax", 3)(m);
         m.compile("categorical_crossentropy", optim::SGD({.learning_rate = 0.01, .momentum = 0.5}), {"accuracy"});
       },
       3, Scenario::one_hot, standard},
      {"8-16-3 softmax, sparse_categorical_crossentropy",
       [&](nn::Sequential& m) {
         dense_stack("relu", "softmax", 3)(m);
         m.compile("sparse_categorical_crossentropy", "sgd", {"accuracy"});
       },
       3, Scenario::labels, standard},
      {"8-16-2 tanh, mean_squared_error (unfused), momentum",
       [&](nn::Sequential& m) {
         dense_stack("sigmoid", "tanh", 2)(m);
         m.compile("mse", optim::SGD({.learning_rate = 0.01, .momentum = 0.9}), {"mae"});
       },
       2, Scenario::real, standard},
      {"8-16-16-1 noise, batchnorm, dropout, layernorm, identity",
       [&](nn::Sequential& m) {
         m.add(nn::Input(8));
         m.add(nn::GaussianNoise(0.1));
         m.add(nn::Dense(16, {.activation = "relu"}));
         m.add(nn::BatchNormalization());
         m.add(nn::Dropout(0.3));
         m.add(nn::Dense(16, {.activation = "tanh"}));
         m.add(nn::LayerNormalization());
         m.add(nn::Identity());
         m.add(nn::Dense(1, {.activation = "sigmoid"}));
         m.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.01, .momentum = 0.9}), {"accuracy"});
       },
       1, Scenario::binary, standard},
      {"8 as (2, 2, 2) through every shape layer, softmax",
       [&](nn::Sequential& m) {
         m.add(nn::Input(8));
         m.add(nn::Reshape({2, 2, 2}));
         m.add(nn::ZeroPadding2D());                                 // (4, 4, 2)
         m.add(nn::Cropping2D({.cropping = {{1, 0}, {0, 1}}}));     // (3, 3, 2)
         m.add(nn::UpSampling2D({.size = {2, 1}}));                  // (6, 3, 2)
         m.add(nn::PReLU({.shared_axes = {1, 2}}));
         m.add(nn::SpatialDropout2D(0.2));
         m.add(nn::Reshape({6, 6}));
         m.add(nn::ZeroPadding1D());                                 // (8, 6)
         m.add(nn::Cropping1D());                                    // (6, 6)
         m.add(nn::UpSampling1D());                                  // (12, 6)
         m.add(nn::SpatialDropout1D(0.2));
         m.add(nn::LeakyReLU());
         m.add(nn::Flatten());
         m.add(nn::Rescaling(0.5, {.offset = 0.1}));
         m.add(nn::Dense(16));
         m.add(nn::ReLU({.max_value = 6, .negative_slope = 0.1}));
         m.add(nn::ELU());
         m.add(nn::Dense(3));
         m.add(nn::Softmax());
         m.compile("categorical_crossentropy", optim::SGD({.learning_rate = 0.01, .momentum = 0.9}), {"accuracy"});
       },
       3, Scenario::one_hot, standard},
      {"8-16-1 with validation_split and shuffling off",
       [&](nn::Sequential& m) {
         dense_stack("relu", "sigmoid", 1)(m);
         m.compile("binary_crossentropy", optim::SGD({.learning_rate = 0.01, .momentum = 0.9}), {"accuracy"});
       },
       1, Scenario::binary, nn::FitOptions{.epochs = 3, .batch_size = 32, .validation_split = 0.25, .shuffle = false}},
  };
  for (const auto& s : scenarios) ok = run(s, x) && ok;

  // A graph: two inputs (x's first 5 and last 3 columns), a layer called twice, every element-wise merge, Dot, a skip
  // connection, Concatenate.
  ok = run({"Functional: 2 inputs, shared layer, merges, Dot, Adam", nullptr, 1, Scenario::binary, standard,
            [] {
              nn::Input a(5), b(3);
              auto pa = nn::Dense(16, {.activation = "relu"})(a);
              auto pb = nn::Dense(16, {.activation = "tanh"})(b);
              nn::Dense shared(16, {.activation = "tanh"});
              auto s1 = shared(pa), s2 = shared(pb);
              auto sum = nn::Add()({s1, s2, pa});
              auto product = nn::Multiply()({s1, pb});
              auto joined = nn::Concatenate()({nn::Maximum()({sum, product}), nn::Minimum()({sum, product}),
                                               nn::Subtract()({sum, product}), nn::Average()({pa, pb}),
                                               nn::Dot(1, {.normalize = true})({s1, s2})});
              nn::Model m({a, b}, {nn::Dense(1, {.activation = "sigmoid"})(joined)}, {.seed = 7});
              m.compile("binary_crossentropy", "adam", {"accuracy"});
              return m;
            }},
           x) &&
       ok;

  // Convnets: im2col, col2im (the second convolution's dx), the pool's argmax, Flatten's view of the pooled batch,
  // dropout. 256 images of 8 x 8 x 2: conv 16 -> 6 x 6 x 16, conv 16 -> 4 x 4 x 16, pool -> 2 x 2 x 16, Flatten -> 64,
  // softmax 10. 16 filters and 10 units, not fewer: OpenBLAS 0.3.21's AVX-512 small-matrix sgemm (products of at
  // most 100^3 multiply-adds with k >= 32) mallocs on every call when the output has 1 to 8 columns past a multiple of
  // 16 (kernel/x86_64/sgemm_small_kernel_nn_skylakex.c): a matter of matmul's routing, not of the convolutions.
  auto images = [&](Index values) {
    Matrix m(256, values);
    for (Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<Scalar>(2 * uniform01(rng) - 1);
    return m;
  };
  auto convnet = [](Shape image, const char* optimizer) {
    return [=](nn::Sequential& m) {
      m.add(nn::Input(image));
      m.add(nn::Conv2D(16, 3, {.activation = "relu"}));
      m.add(nn::Conv2D(16, 3, {.activation = "relu"}));
      m.add(nn::MaxPooling2D(2));
      m.add(nn::Flatten());
      m.add(nn::Dropout(0.25));
      m.add(nn::Dense(10, {.activation = "softmax"}));
      m.compile("categorical_crossentropy", optimizer, {"accuracy"});
    };
  };
  // im2col's products are tall (batch x positions rows): Eigen's GEMM (double builds, DESCENT_OPENBLAS=OFF) mallocs
  // its packing buffers for them, as for the large products below.
  const char* convnet_name = "8x8x2 conv, conv, pool, flatten, dropout, softmax, Adam";
  if (matmul_uses_blas(32 * 6 * 6, 2 * 3 * 3, 16))
    ok = run({convnet_name, convnet({8, 8, 2}, "adam"), 10, Scenario::one_hot, standard}, images(8 * 8 * 2)) && ok;
  else
    std::printf("%-52s skipped: this build's products run in Eigen, which allocates its packing buffers\n",
                convnet_name);

  // The other convolutions: separable (its depthwise half's per-channel products and its 1 x 1 half), depthwise
  // with stride 2, transposed (col2im forward, im2col backward), on 8 x 8 x 2 images: -> 8 x 8 x 16 -> 4 x 4 x 16
  // -> 8 x 8 x 16 -> pool 4 x 4 x 16 -> softmax 10.
  const char* family_name = "8x8x2 separable, depthwise, transposed, pool, softmax";
  if (matmul_uses_blas(32 * 8 * 8, 2, 16))
    ok = run({family_name,
              [](nn::Sequential& m) {
                m.add(nn::Input({8, 8, 2}));
                m.add(nn::SeparableConv2D(16, 3, {.padding = "same", .activation = "relu"}));
                m.add(nn::DepthwiseConv2D(3, {.strides = 2, .padding = "same"}));
                m.add(nn::Conv2DTranspose(16, 3, {.strides = 2, .padding = "same", .activation = "relu"}));
                m.add(nn::MaxPooling2D(2));
                m.add(nn::Flatten());
                m.add(nn::Dense(10, {.activation = "softmax"}));
                m.compile("categorical_crossentropy", optim::Adam(), {"accuracy"});
              },
              10, Scenario::one_hot, standard},
             images(8 * 8 * 2)) &&
         ok;
  else
    std::printf("%-52s skipped: this build's products run in Eigen, which allocates its packing buffers\n",
                family_name);

  // Products large enough to be split over two threads (64 x 256 x 256), as B2's and B3's are. Only OpenBLAS runs
  // them without allocating: Eigen's own GEMM (double builds, DESCENT_OPENBLAS=OFF) mallocs its packing buffers for
  // products this large, so those builds skip this scenario.
  set_num_threads(2);
  if (matmul_uses_blas(64, 256, 256)) {
    if (matmul_threads(64, 256, 256) != 2) {
      std::printf("FAIL: the 2-thread scenario's products would not be split over 2 threads\n");
      ok = false;
    }
    ok = run({"8-256-256-1 at 2 threads, Adam",
              [&](nn::Sequential& m) {
                m.add(nn::Input(8));
                m.add(nn::Dense(256, {.activation = "relu"}));
                m.add(nn::Dense(256, {.activation = "relu"}));
                m.add(nn::Dense(1, {.activation = "sigmoid"}));
                m.compile("binary_crossentropy", optim::Adam(), {"accuracy"});
              },
              1, Scenario::binary, nn::FitOptions{.epochs = 3, .batch_size = 64}},
             x) &&
         ok;
    // The convnet on 16 x 16 x 4 images: both im2cols, col2im and the products are split over the two threads; the
    // pool, smaller, runs on one.
    ok = run({"16x16x4 conv, conv, pool, flatten, dropout, softmax, 2 threads", convnet({16, 16, 4}, "sgd"), 10,
              Scenario::one_hot, standard},
             images(16 * 16 * 4)) &&
         ok;
  } else {
    std::printf("%-52s skipped: this build's large products run in Eigen, which allocates its packing buffers\n",
                "8-256-256-1 and a convnet at 2 threads");
  }
  std::printf(ok ? "PASSED\n" : "FAILED: a steady-state training step allocated\n");
  return ok ? 0 : 1;
}
