// libFuzzer target for the weights reader (manifest + weights.bin, optimizer state). Run by scripts/fuzz.sh.
#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  descent::fuzz::weights(data, size);
  return 0;
}
