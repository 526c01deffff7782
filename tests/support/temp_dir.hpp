// A fresh empty directory for one test, removed when the test ends.
#pragma once

#include <filesystem>
#include <string>

#include <unistd.h>

namespace descent::testing {

/// "<system temp dir>/descent-<tag>-<pid>-<n>": unique within the process and across the processes that run tests
/// at once (ctest -j, the float and double builds).
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& tag = "test") {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("descent-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  /// The path of `name` inside the directory.
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

}  // namespace descent::testing
