// Counts heap allocations in optimizer steps: after the first step (which creates the slots), a step of any
// optimizer, with clipping, weight decay or a schedule, must allocate nothing, in float and in double. Both operator
// new and malloc are counted (support/allocation_counter.hpp); a positive control proves the count sees allocations.
#include "support/allocation_counter.hpp"

#include <descent/descent.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <span>
#include <string>
#include <vector>

using namespace descent;
using namespace descent::optim;

namespace {

// Three parameters of different shapes, stepped `steps` times after one warm-up step; returns the allocations
// counted during the measured steps.
template <class T>
long steady_state_allocations(Optimizer& optimizer, int steps) {
  BasicParam<T> kernel{.name = "kernel", .value = MatrixT<T>::Constant(16, 8, T(0.5)), .grad = MatrixT<T>(16, 8)};
  BasicParam<T> bias{.name = "bias", .value = MatrixT<T>::Zero(1, 8), .grad = MatrixT<T>(1, 8), .shape = {8}};
  BasicParam<T> scale{.name = "scale", .value = MatrixT<T>::Ones(1, 1), .grad = MatrixT<T>(1, 1)};
  BasicParam<T>* params[] = {&kernel, &bias, &scale};
  auto set_gradients = [&](int s) {
    for (BasicParam<T>* p : params)
      for (Index i = 0; i < p->grad.size(); ++i)
        p->grad.data()[i] = static_cast<T>(0.3 * std::sin(0.7 * double(i) + double(s)) + 0.1 * double(p->value.data()[i]));
  };
  set_gradients(0);
  optimizer.step(std::span<BasicParam<T>* const>(params));
  const long before = alloc_count::total();
  for (int s = 1; s <= steps; ++s) {
    set_gradients(s);
    optimizer.step(std::span<BasicParam<T>* const>(params));
  }
  return alloc_count::total() - before;
}

bool counter_works() {
  const long before = alloc_count::total();
  auto* boxed = new std::vector<int>(100);
  Matrix m(40, 40);
  m.setOnes();
  volatile Scalar keep = m.sum() + static_cast<Scalar>(boxed->size());
  (void)keep;
  delete boxed;
  const long seen = alloc_count::total() - before;
  const bool ok = seen >= 3;  // the vector object, its buffer, the matrix
  std::printf("%-44s %s: %ld allocations counted\n", "positive control", ok ? "ok  " : "FAIL", seen);
  return ok;
}

}  // namespace

int main() {
  alloc_count::install();
  bool ok = counter_works();

  const auto decay = ExponentialDecay({.initial_learning_rate = 0.01, .decay_steps = 5, .decay_rate = 0.9});
  std::vector<std::pair<std::string, std::function<std::unique_ptr<Optimizer>()>>> cases = {
      {"SGD momentum", [] { return std::make_unique<SGD>(SGDOptions{.momentum = 0.9}); }},
      {"SGD Nesterov, clipvalue", [] {
         return std::make_unique<SGD>(SGDOptions{.momentum = 0.9, .nesterov = true, .clipvalue = 0.1});
       }},
      {"GD", [] { return std::make_unique<GD>(); }},
      {"Adam", [] { return std::make_unique<Adam>(); }},
      {"Adam amsgrad, clipnorm", [] { return std::make_unique<Adam>(AdamOptions{.amsgrad = true, .clipnorm = 0.5}); }},
      {"AdamW, schedule", [&] { return std::make_unique<AdamW>(AdamWOptions{.learning_rate = decay}); }},
      {"Nadam, global_clipnorm", [] { return std::make_unique<Nadam>(NadamOptions{.global_clipnorm = 1.0}); }},
      {"Adamax", [] { return std::make_unique<Adamax>(); }},
      {"RMSprop", [] { return std::make_unique<RMSprop>(); }},
      {"RMSprop momentum centered, weight_decay", [] {
         return std::make_unique<RMSprop>(RMSpropOptions{.momentum = 0.9, .centered = true, .weight_decay = 0.01});
       }},
      {"Adagrad", [] { return std::make_unique<Adagrad>(); }},
      {"Adadelta, cosine schedule", [] {
         return std::make_unique<Adadelta>(AdadeltaOptions{
             .learning_rate = CosineDecay({.initial_learning_rate = 1.0, .decay_steps = 20, .warmup_target = 2.0,
                                           .warmup_steps = 3})});
       }},
  };
  for (const auto& [name, make] : cases) {
    auto in_float = make();
    auto in_double = make();
    const long f = steady_state_allocations<float>(*in_float, 20);
    const long d = steady_state_allocations<double>(*in_double, 20);
    const bool case_ok = f == 0 && d == 0;
    std::printf("%-44s %s: %ld allocations in 20 float steps, %ld in 20 double steps\n", name.c_str(),
                case_ok ? "ok  " : "FAIL", f, d);
    ok = ok && case_ok;
  }
  std::printf(ok ? "PASSED\n" : "FAILED: a steady-state optimizer step allocated\n");
  return ok ? 0 : 1;
}
