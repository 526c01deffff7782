// Stopping fit from outside the training loop: Ctrl-C in a program, a watchdog thread.
#pragma once

namespace descent::nn {

/// Asks the fit that is running (or the next one to start) to stop after its current batch, as a callback's
/// stop_training does: the callbacks' on_train_end hooks run, fit prints where it stopped and returns a History
/// marked `interrupted`. Async-signal-safe: a SIGINT handler may call it (the descent program does).
void interrupt_training() noexcept;

/// Takes the pending interruption, if any: true once per interrupt_training() call. fit calls it after each batch.
bool take_interruption() noexcept;

}  // namespace descent::nn
