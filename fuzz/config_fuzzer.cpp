// libFuzzer target for the model-config reader (all three JSON dialects). Run by scripts/fuzz.sh.
#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  descent::fuzz::config(data, size);
  return 0;
}
