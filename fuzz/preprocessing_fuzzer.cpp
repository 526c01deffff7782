// libFuzzer target for the descent.json reader (cli::Preprocessing::from_json). Run by scripts/fuzz.sh.
#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  descent::fuzz::preprocessing(data, size);
  return 0;
}
