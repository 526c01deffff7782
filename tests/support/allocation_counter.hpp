// Counts heap allocations for the standalone allocation tests. Include it in exactly one translation unit of a
// program: it replaces the global operator new family and, outside AddressSanitizer, malloc's family.
//
// Two counters, because two allocators are in play: operator new (std::vector, std::string, std::map, ...) and
// malloc (Eigen's matrices). glibc lets a program replace malloc by defining it; ours forward to glibc's own
// __libc_* functions. Under AddressSanitizer, which owns malloc, its allocation hook counts instead.
#pragma once

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define DESCENT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DESCENT_ASAN 1
#endif
#endif

namespace alloc_count {
inline std::atomic<long> news{0};
inline std::atomic<long> mallocs{0};

inline long total() { return news.load(std::memory_order_relaxed) + mallocs.load(std::memory_order_relaxed); }

inline void* counted_new(std::size_t n) {
  news.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
inline void* counted_aligned_new(std::size_t n, std::align_val_t alignment) {
  news.fetch_add(1, std::memory_order_relaxed);
  void* p = nullptr;
  const std::size_t a = std::max(static_cast<std::size_t>(alignment), sizeof(void*));
  return posix_memalign(&p, a, n == 0 ? 1 : n) == 0 ? p : nullptr;
}
}  // namespace alloc_count

// The replacements pair malloc with free; GCC (notably with sanitizers) assumes operator new memory and warns.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t n) {
  if (void* p = alloc_count::counted_new(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = alloc_count::counted_new(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return alloc_count::counted_new(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return alloc_count::counted_new(n); }
void* operator new(std::size_t n, std::align_val_t a) {
  if (void* p = alloc_count::counted_aligned_new(n, a)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) {
  if (void* p = alloc_count::counted_aligned_new(n, a)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return alloc_count::counted_aligned_new(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return alloc_count::counted_aligned_new(n, a);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#ifdef DESCENT_ASAN
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, std::size_t),
                                                         void (*free_hook)(const volatile void*));
namespace alloc_count {
inline void on_malloc(const volatile void*, std::size_t) { mallocs.fetch_add(1, std::memory_order_relaxed); }
inline void on_free(const volatile void*) {}
// Call first thing in main.
inline void install() { __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free); }
}  // namespace alloc_count
#else
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);

void* malloc(std::size_t n) noexcept {
  alloc_count::mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n);
}
void* calloc(std::size_t count, std::size_t n) noexcept {
  alloc_count::mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(count, n);
}
void* realloc(void* p, std::size_t n) noexcept {
  alloc_count::mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, n);
}
void free(void* p) noexcept { __libc_free(p); }
void* memalign(std::size_t alignment, std::size_t n) noexcept {
  alloc_count::mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_memalign(alignment, n);
}
void* aligned_alloc(std::size_t alignment, std::size_t n) noexcept {
  alloc_count::mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_memalign(alignment, n);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t n) noexcept {
  alloc_count::mallocs.fetch_add(1, std::memory_order_relaxed);
  void* p = __libc_memalign(alignment, n);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}
}
namespace alloc_count {
inline void install() {}
}  // namespace alloc_count
#endif
