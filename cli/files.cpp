// Reading whole files, and the checks that keep --out from replacing a folder descent did not write.
#include "files.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/core/files.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace descent::cli {
namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  std::error_code ec;
  check(fs::exists(path, ec), path, ": no such file.");
  check(!fs::is_directory(path, ec), path, ": is a directory; expected a file.");
  return read_regular_file(path, kMaxJsonFileBytes, "reading");  // no device, FIFO, or file beyond 1 GiB
}

bool is_saved_model_file(const std::string& name) {
  return name == "model.json" || name == "descent.json" || (name.size() > 4 && name.ends_with(".bin"));
}

void check_output_dir(const std::string& dir) {
  std::error_code ec;
  const fs::path target = normalized_path(dir);
  check(!target.empty(), "--out: expected a directory path; received \"", dir, "\".");
  const fs::path parent = parent_directory(target);
  check(fs::is_directory(parent, ec), "--out: cannot write ", dir, ": the parent directory ", parent.string(),
        fs::exists(parent, ec) ? " is not a directory." : " does not exist.");
  check(::access(parent.c_str(), W_OK) == 0, "--out: cannot write ", dir, ": the directory ", parent.string(),
        " is not writable (", std::strerror(errno), ").");
  if (!fs::exists(target, ec)) return;
  check(fs::is_directory(target, ec), "--out: ", dir, " exists and is not a directory; expected a new directory ",
        "or one written by descent fit.");
  std::string foreign;
  int count = 0;
  for (const auto& entry : fs::directory_iterator(target, ec))
    if (!entry.is_regular_file() || !is_saved_model_file(entry.path().filename().string())) {
      if (++count > 5) {
        foreign += ", ...";
        break;
      }
      foreign += str(foreign.empty() ? "" : ", ", entry.path().filename().string());
    }
  check(foreign.empty(), "--out: refusing to replace ", dir, ", which holds files descent did not write (", foreign,
        "). Expected a new directory or one written by descent fit; choose another path.");
}

void replace_model_directory(const std::string& dir, const std::function<void(const std::string&)>& fill) {
  check_output_dir(dir);
  replace_directory(dir, fill, "--out");
}

}  // namespace descent::cli
