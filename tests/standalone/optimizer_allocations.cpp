// Counts heap allocations in optimizer steps: after the first step (which creates the slots), a step of any
// optimizer, with clipping, weight decay or a schedule, must allocate nothing, in float and in double.
//
// Eigen allocates through malloc and the standard library through operator new, so both are counted: operator new
// is replaced; malloc is replaced by forwarding to glibc's __libc_* functions, or, under AddressSanitizer (which owns
// malloc), observed through its allocation hook. A positive control proves both counters see allocations.
#include <descent/descent.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <new>
#include <span>
#include <string>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define DESCENT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DESCENT_ASAN 1
#endif
#endif

namespace {
std::atomic<long> g_count{0};
long allocations() { return g_count.load(std::memory_order_relaxed); }
void* counted(std::size_t n) {
  g_count.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
void* counted_aligned(std::size_t n, std::align_val_t alignment) {
  g_count.fetch_add(1, std::memory_order_relaxed);
  void* p = nullptr;
  const std::size_t a = std::max(static_cast<std::size_t>(alignment), sizeof(void*));
  return posix_memalign(&p, a, n == 0 ? 1 : n) == 0 ? p : nullptr;
}
}  // namespace

void* operator new(std::size_t n) {
  if (void* p = counted(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = counted(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t a) {
  if (void* p = counted_aligned(n, a)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) {
  if (void* p = counted_aligned(n, a)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

#ifdef DESCENT_ASAN
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, std::size_t),
                                                         void (*free_hook)(const volatile void*));
namespace {
void on_malloc(const volatile void*, std::size_t) { g_count.fetch_add(1, std::memory_order_relaxed); }
void on_free(const volatile void*) {}
void install_malloc_counter() { __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free); }
}  // namespace
#else
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);

void* malloc(std::size_t n) noexcept {
  g_count.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n);
}
void* calloc(std::size_t count, std::size_t n) noexcept {
  g_count.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(count, n);
}
void* realloc(void* p, std::size_t n) noexcept {
  g_count.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, n);
}
void free(void* p) noexcept { __libc_free(p); }
void* memalign(std::size_t alignment, std::size_t n) noexcept {
  g_count.fetch_add(1, std::memory_order_relaxed);
  return __libc_memalign(alignment, n);
}
void* aligned_alloc(std::size_t alignment, std::size_t n) noexcept {
  g_count.fetch_add(1, std::memory_order_relaxed);
  return __libc_memalign(alignment, n);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t n) noexcept {
  g_count.fetch_add(1, std::memory_order_relaxed);
  void* p = __libc_memalign(alignment, n);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}
}
namespace {
void install_malloc_counter() {}
}  // namespace
#endif

using namespace descent;
using namespace descent::optim;

namespace {

// Three parameters of different shapes, stepped `steps` times after one warm-up step; returns the allocations
// counted during the measured steps.
template <class T>
long steady_state_allocations(Optimizer& optimizer, int steps) {
  BasicParam<T> kernel{.name = "kernel", .value = MatrixT<T>::Constant(16, 8, T(0.5)), .grad = MatrixT<T>(16, 8)};
  BasicParam<T> bias{.name = "bias", .value = MatrixT<T>::Zero(1, 8), .grad = MatrixT<T>(1, 8), .is_vector = true};
  BasicParam<T> scale{.name = "scale", .value = MatrixT<T>::Ones(1, 1), .grad = MatrixT<T>(1, 1)};
  BasicParam<T>* params[] = {&kernel, &bias, &scale};
  auto set_gradients = [&](int s) {
    for (BasicParam<T>* p : params)
      for (Index i = 0; i < p->grad.size(); ++i)
        p->grad.data()[i] = static_cast<T>(0.3 * std::sin(0.7 * double(i) + double(s)) + 0.1 * double(p->value.data()[i]));
  };
  set_gradients(0);
  optimizer.step(std::span<BasicParam<T>* const>(params));
  const long before = allocations();
  for (int s = 1; s <= steps; ++s) {
    set_gradients(s);
    optimizer.step(std::span<BasicParam<T>* const>(params));
  }
  return allocations() - before;
}

bool counter_works() {
  const long before = allocations();
  auto* boxed = new std::vector<int>(100);
  Matrix m(40, 40);
  m.setOnes();
  volatile Scalar keep = m.sum() + static_cast<Scalar>(boxed->size());
  (void)keep;
  delete boxed;
  const long seen = allocations() - before;
  const bool ok = seen >= 3;  // the vector object, its buffer, the matrix
  std::printf("%-44s %s: %ld allocations counted\n", "positive control", ok ? "ok  " : "FAIL", seen);
  return ok;
}

}  // namespace

int main() {
  install_malloc_counter();
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
