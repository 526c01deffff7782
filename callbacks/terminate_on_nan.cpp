// TerminateOnNaN: the batch's running loss is checked; once it is non-finite the epoch's mean stays so.
#include "terminate_on_nan.hpp"

#include <descent/core/output.hpp>
#include <descent/core/error.hpp>
#include <descent/core/text.hpp>
#include <descent/models/model.hpp>

#include <cmath>
#include <ostream>

namespace descent::nn {

void TerminateOnNaN::on_train_begin(const Logs&) { message_.clear(); }

void TerminateOnNaN::on_batch_end(int batch, const Logs& logs) {
  auto it = logs.find("loss");
  if (it == logs.end() || std::isfinite(it->second) || !message_.empty()) return;
  message_ = str("Batch ", batch, ": Invalid loss, terminating training");
  if (const Layer* layer = model().first_non_finite_layer())
    message_ += str(" (the first layer with a non-finite output is '", escaped(layer->name()), "')");
  else
    message_ += " (every layer's output is finite: the loss itself overflowed)";
  output() << message_ << "\n";
  model().stop_training = true;
}

}  // namespace descent::nn
