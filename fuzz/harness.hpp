// The fuzzed entry points, shared by the libFuzzer targets and the unit test that replays saved inputs: any input
// must either load or fail with descent::Error; every other outcome (another exception, a crash, a hang, a leak)
// is a bug.
#pragma once

#include <descent/cli/preprocessing.hpp>
#include <descent/data/idx.hpp>
#include <descent/data/text_table.hpp>
#include <descent/descent.hpp>
#include <descent/saving/model_json.hpp>
#include <descent/saving/saving.hpp>

#include <nlohmann/json.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace descent::fuzz {

// Inputs naming sizes above this are skipped: a config may legitimately ask for a model larger than the fuzzer's
// memory limit, and that is not a bug.
// Deeper nesting than the readers accept is skipped too, since the harness itself recurses.
inline bool small_enough(const nlohmann::json& value, int depth = 0) {
  if (depth > 64) return false;
  if (value.is_number_integer()) return value.get<long long>() <= 4096;
  if (value.is_number_float()) return value.get<double>() <= 4096;
  if (value.is_structured())
    for (const auto& item : value)
      if (!small_enough(item, depth + 1)) return false;
  return true;
}

/// A model config in any dialect: model_from_json, then to_json and reading that back.
inline void config(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_discarded() && !small_enough(parsed)) return;
  try {
    nn::Sequential model = nn::model_from_json(text);
    nn::model_from_json(model.to_json());
  } catch (const Error&) {
  }
}

/// A weights manifest and its bytes, split at the first NUL: before it the weightsManifest JSON, after it
/// weights.bin. Without a NUL the whole input is weights.bin for a fixed manifest. The topology is fixed:
/// 3 -> Dense(2) -> Dense(1), compiled with SGD with momentum so optimizer state is read too.
inline void weights(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = input.find('\0');
  nlohmann::json manifest = nlohmann::json::parse(R"([{"paths": ["weights.bin"], "weights": [
      {"name": "dense/kernel", "shape": [3, 2], "dtype": "float32"}, {"name": "dense/bias", "shape": [2], "dtype": "float32"},
      {"name": "dense_1/kernel", "shape": [2, 1], "dtype": "float32"}, {"name": "dense_1/bias", "shape": [1], "dtype": "float32"}]}])");
  std::string bytes = input;
  if (nul != std::string::npos) {
    manifest = nlohmann::json::parse(input.substr(0, nul), nullptr, false);
    if (manifest.is_discarded() || !small_enough(manifest)) return;
    bytes = input.substr(nul + 1);
  }
  nlohmann::json model = {
      {"modelTopology", nlohmann::json::parse(R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
          {"class_name": "Dense", "config": {"name": "dense", "units": 2, "batch_input_shape": [null, 3]}},
          {"class_name": "Dense", "config": {"name": "dense_1", "units": 1}}]}})")},
      {"trainingConfig", nlohmann::json::parse(R"({"loss": "mse", "metrics": [], "optimizer_config":
          {"class_name": "Momentum", "config": {"learningRate": 0.1, "momentum": 0.9}}})")},
      {"weightsManifest", manifest},
      {"format", "layers-model"}};
  try {
    nn::Sequential loaded =
        nn::load_model_from_memory(model.dump(), {{"weights.bin", bytes}, {"a.bin", bytes.substr(0, bytes.size() / 2)}});
    loaded.predict(Matrix::Ones(1, 3));
  } catch (const Error&) {
  }
}

/// Bytes as a file without touching the disk: an anonymous in-memory file (memfd), opened by its /proc path and
/// gone when closed, so a fuzzing run writes nothing and leaves nothing behind.
class MemoryFile {
 public:
  explicit MemoryFile(const std::string& bytes) : fd_(::memfd_create("descent-fuzz", 0)) {
    if (fd_ < 0) throw std::runtime_error("memfd_create failed");
    for (std::size_t done = 0; done < bytes.size();) {
      const ::ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n <= 0) throw std::runtime_error("writing the memfd failed");
      done += static_cast<std::size_t>(n);
    }
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};

/// A CSV file: read_text_table, every column as numbers, and to_csv of what was read, which must read back as the
/// same cells: an Error reading it back escapes, and a difference throws, so either is reported.
inline void csv(const std::uint8_t* data, std::size_t size) {
  const MemoryFile file(std::string(reinterpret_cast<const char*>(data), size));
  data::TextTable table;
  try {
    table = data::read_text_table(file.path());
  } catch (const Error&) {
    return;
  }
  for (Index c = 0; c < static_cast<Index>(table.columns.size()); ++c) {
    try {
      table.numbers({c});
    } catch (const Error&) {
    }
  }
  const MemoryFile written(data::to_csv(table));
  const data::TextTable back = data::read_text_table(written.path(), table.delimiter);
  if (back.columns != table.columns || back.rows != table.rows)
    throw std::logic_error("to_csv wrote a table that reads back differently");
}

/// An IDX file (data::read_idx), gzipped or not: every value it reads must be finite and the matrix the header's
/// shape.
inline void idx(const std::uint8_t* data, std::size_t size) {
  const MemoryFile file(std::string(reinterpret_cast<const char*>(data), size));
  try {
    const data::Idx read = data::read_idx(file.path());
    Index count = 1;
    for (Index d : read.dims) count *= d;
    // An empty file may still name a long axis ((0, 905973248)): Eigen would walk its columns to find no value.
    if (read.values.size() != count || (count > 0 && !read.values.allFinite()))
      throw std::logic_error("read_idx: wrong values");
  } catch (const Error&) {
  }
}

/// descent.json, the CLI's preprocessing file: from_json, then to_json and reading that back.
inline void preprocessing(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const cli::Preprocessing prep = cli::Preprocessing::from_json(text, "descent.json");
    cli::Preprocessing::from_json(prep.to_json(), "descent.json");
  } catch (const Error&) {
  }
}

}  // namespace descent::fuzz
