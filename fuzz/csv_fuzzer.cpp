// libFuzzer target for the CSV reader (read_text_table, numbers, to_csv read back). Run by scripts/fuzz.sh.
#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  descent::fuzz::csv(data, size);
  return 0;
}
