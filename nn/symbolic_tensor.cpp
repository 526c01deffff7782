// Input: the one symbolic tensor no layer call makes.
#include "symbolic_tensor.hpp"

#include <descent/core/error.hpp>

#include <atomic>

namespace descent::detail {

std::uint64_t next_call_serial() {
  static std::atomic<std::uint64_t> next{1};
  return next++;
}

}  // namespace descent::detail

namespace descent::nn {

namespace {

std::shared_ptr<const descent::detail::LayerCall> input_call(Shape shape, std::string name) {
  check(!shape.empty() && shape.valid(), "Input expects a shape of positive dimensions; received ", shape, ".");
  auto call = std::make_shared<descent::detail::LayerCall>();
  call->shape = std::move(shape);
  call->input_name = std::move(name);
  call->serial = detail::next_call_serial();
  return call;
}

}  // namespace

Input::Input(Shape shape, InputOptions options) : SymbolicTensor(input_call(std::move(shape), std::move(options.name))) {}

}  // namespace descent::nn
