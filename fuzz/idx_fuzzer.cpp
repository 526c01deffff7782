// libFuzzer target for the IDX reader (data::read_idx, gzipped or not). Run by scripts/fuzz.sh.
#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  descent::fuzz::idx(data, size);
  return 0;
}
