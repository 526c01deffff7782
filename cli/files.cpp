// Atomic writes: write beside the target, fsync, rename over it (renameat2 RENAME_EXCHANGE for directories).
#include "files.hpp"

#include <descent/core/error.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace descent::cli {
namespace fs = std::filesystem;
namespace {

int counter = 0;

fs::path normalized(const std::string& path) {
  fs::path p = fs::path(path).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // "model/" names the directory "model"
  return p;
}

fs::path parent_of(const fs::path& p) { return p.parent_path().empty() ? fs::path(".") : p.parent_path(); }

fs::path sibling(const fs::path& p, const std::string& tag) {
  return parent_of(p) / str(".", p.filename().string(), ".", tag, "-", ::getpid(), "-", ++counter);
}

void sync_directory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

std::string read_file(const std::string& path) {
  std::error_code ec;
  check(fs::exists(path, ec), path, ": no such file.");
  check(!fs::is_directory(path, ec), path, ": is a directory; expected a file.");
  std::ifstream in(path, std::ios::binary);
  check(in.good(), path, ": cannot open the file for reading.");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  check(!in.bad(), path, ": reading failed.");
  return bytes.str();
}

void write_file_synced(const std::string& path, const std::string& bytes) {
  FILE* file = std::fopen(path.c_str(), "wb");
  check(file != nullptr, path, ": cannot create the file: ", std::strerror(errno), ".");
  const std::size_t written = std::fwrite(bytes.data(), 1, bytes.size(), file);
  bool ok = written == bytes.size() && std::fflush(file) == 0 && ::fsync(fileno(file)) == 0;
  const int error = errno;
  ok = std::fclose(file) == 0 && ok;
  check(ok, path, ": writing failed after ", written, " of ", bytes.size(), " bytes: ", std::strerror(error), ".");
}

void check_output_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  const fs::path p = normalized(path);
  check(!p.empty() && !fs::is_directory(p, ec), what, ": ", path, " is a directory; expected a file name.");
  check(fs::is_directory(parent_of(p), ec), what, ": cannot write ", path, ": the directory ", parent_of(p).string(),
        " does not exist.");
}

void write_file_atomically(const std::string& path, const std::string& bytes, const std::string& what) {
  check_output_file(path, what);
  const fs::path target = normalized(path);
  const fs::path temp = sibling(target, "writing");
  try {
    write_file_synced(temp.string(), bytes);
    std::error_code ec;
    fs::rename(temp, target, ec);
    check(!ec, what, ": cannot move the new file over ", path, ": ", ec.message(), ".");
    sync_directory(parent_of(target));
  } catch (const Error& e) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    fail(str(what, ": ", e.what()));
  }
}

bool is_saved_model_file(const std::string& name) {
  return name == "model.json" || name == "descent.json" || (name.size() > 4 && name.ends_with(".bin"));
}

void check_output_dir(const std::string& dir) {
  std::error_code ec;
  const fs::path target = normalized(dir);
  check(!target.empty(), "--out: expected a directory path; received \"", dir, "\".");
  const fs::path parent = parent_of(target);
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

void replace_directory(const std::string& dir, const std::function<void(const std::string&)>& fill) {
  check_output_dir(dir);
  const fs::path target = normalized(dir);
  const fs::path parent = parent_of(target);
  const fs::path staging = sibling(target, "saving");
  std::error_code ec;
  try {
    fill(staging.string());
    sync_directory(staging);
    if (!fs::exists(target, ec)) {
      fs::rename(staging, target, ec);
      check(!ec, "cannot move the saved files into ", dir, ": ", ec.message(), ".");
    } else if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
      // No RENAME_EXCHANGE on this file system: move the old directory aside, the new one in, the old one back on
      // failure.
      const fs::path old = sibling(target, "old");
      fs::rename(target, old, ec);
      check(!ec, "cannot move the previous ", dir, " aside: ", ec.message(), ".");
      fs::rename(staging, target, ec);
      if (ec) {
        std::error_code restore;
        fs::rename(old, target, restore);
        fail(str("cannot move the saved files into ", dir, ": ", ec.message(), "."));
      }
      fs::remove_all(old, ec);
    }
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
  fs::remove_all(staging, ec);  // after an exchange it holds the previous model
  sync_directory(parent);
}

}  // namespace descent::cli
