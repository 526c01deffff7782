// Replays the fuzzers' seed corpus and every input that once found a bug (fuzz/regressions/): each must load or
// fail with descent::Error.
#include "../../fuzz/harness.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

template <class Run>
std::size_t replay(const std::string& folder, Run run) {
  const fs::path dir = fs::path(DESCENT_TESTS_DIR) / ".." / "fuzz" / folder;
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    INFO("input ", entry.path().string());
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string data = bytes.str();
    CHECK_NOTHROW(run(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("Fuzzer inputs that found bugs, and the seed corpus, load or fail with descent::Error") {
  CHECK(replay("corpus/config", descent::fuzz::config) >= 3);
  CHECK(replay("corpus/weights", descent::fuzz::weights) >= 3);
  CHECK(replay("corpus/csv", descent::fuzz::csv) >= 3);
  CHECK(replay("corpus/preprocessing", descent::fuzz::preprocessing) >= 3);
  CHECK(replay("corpus/idx", descent::fuzz::idx) >= 5);
  replay("regressions/config", descent::fuzz::config);
  replay("regressions/weights", descent::fuzz::weights);
  CHECK(replay("regressions/csv", descent::fuzz::csv) >= 2);  // .keep and at least one input
  CHECK(replay("regressions/preprocessing", descent::fuzz::preprocessing) >= 2);
  CHECK(replay("regressions/idx", descent::fuzz::idx) >= 2);
}

TEST_CASE("Hand-made hostile inputs") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK_THROWS_WITH_AS(descent::nn::model_from_json(deep), doctest::Contains("nested deeper than 100 levels"),
                       descent::Error);
  // A shape whose element count overflows 64 bits is refused before anything is allocated.
  nlohmann::json model = {
      {"modelTopology", nlohmann::json::parse(R"({"class_name": "Sequential", "config": {"layers": [
          {"class_name": "Dense", "config": {"units": 1, "batch_input_shape": [null, 3]}}]}})")},
      {"weightsManifest", nlohmann::json::parse(R"([{"paths": ["weights.bin"], "weights": [
          {"name": "dense/kernel", "shape": [4294967296, 4294967296, 4294967296], "dtype": "float32"}]}])")}};
  CHECK_THROWS_WITH_AS(descent::nn::load_model_from_memory(model.dump(), {{"weights.bin", "abcd"}}),
                       doctest::Contains("is larger than any weight file"), descent::Error);
}
