// LambdaCallback: a callback made of functions, for one-off hooks (Keras callbacks/lambda_callback.py).
#pragma once

#include "callback.hpp"

#include <functional>

namespace descent::nn {

/// Each hook is optional: LambdaCallback({.on_epoch_end = [](int epoch, Logs& logs) { ... }}).
struct LambdaCallbackOptions {
  std::function<void(int epoch)> on_epoch_begin;
  std::function<void(int epoch, Logs& logs)> on_epoch_end;
  std::function<void(int batch)> on_batch_begin;
  std::function<void(int batch, const Logs& logs)> on_batch_end;
  std::function<void(const Logs& logs)> on_train_begin;
  std::function<void(const Logs& logs)> on_train_end;
};

class LambdaCallback : public Callback {
 public:
  explicit LambdaCallback(LambdaCallbackOptions hooks) : hooks_(std::move(hooks)) {}

  void on_train_begin(const Logs& logs) override {
    if (hooks_.on_train_begin) hooks_.on_train_begin(logs);
  }
  void on_epoch_begin(int epoch) override {
    if (hooks_.on_epoch_begin) hooks_.on_epoch_begin(epoch);
  }
  void on_batch_begin(int batch) override {
    if (hooks_.on_batch_begin) hooks_.on_batch_begin(batch);
  }
  void on_batch_end(int batch, const Logs& logs) override {
    if (hooks_.on_batch_end) hooks_.on_batch_end(batch, logs);
  }
  void on_epoch_end(int epoch, Logs& logs) override {
    if (hooks_.on_epoch_end) hooks_.on_epoch_end(epoch, logs);
  }
  void on_train_end(const Logs& logs) override {
    if (hooks_.on_train_end) hooks_.on_train_end(logs);
  }

 private:
  LambdaCallbackOptions hooks_;
};

}  // namespace descent::nn
