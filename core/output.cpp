// The output sink: std::cout by default; a stream whose buffer is null swallows everything when silenced.
#include "output.hpp"

#include <cstdio>
#include <iostream>

#include <unistd.h>

namespace descent {
namespace {
std::ostream* sink = &std::cout;
std::ostream& silent() {
  static std::ostream discard(nullptr);  // a stream without a buffer: every write fails quietly
  return discard;
}
}  // namespace

std::ostream& output() { return sink != nullptr ? *sink : silent(); }

std::ostream* set_output(std::ostream* stream) {
  std::ostream* previous = sink;
  sink = stream;
  return previous;
}

bool output_is_terminal() { return sink != nullptr && is_terminal(*sink); }

bool is_terminal(const std::ostream& out) {
  if (&out == &std::cout) return isatty(fileno(stdout)) != 0;
  if (&out == &std::cerr) return isatty(fileno(stderr)) != 0;
  return false;
}

}  // namespace descent
