// One lock-free flag: the only kind of shared state a signal handler may touch.
#include "interrupt.hpp"

#include <atomic>

namespace descent::nn {
namespace {
std::atomic<bool> pending{false};
static_assert(std::atomic<bool>::is_always_lock_free, "a signal handler may only touch lock-free atomics");
}  // namespace

void interrupt_training() noexcept { pending.store(true); }

bool take_interruption() noexcept { return pending.load(std::memory_order_relaxed) && pending.exchange(false); }

}  // namespace descent::nn
