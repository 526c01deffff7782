// Atomic writes: write beside the target, fsync, rename over it; a directory is swapped in with RENAME_EXCHANGE.
#include "files.hpp"

#include <descent/core/error.hpp>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace descent {
namespace fs = std::filesystem;
namespace {

std::atomic<std::int64_t> fail_budget{-1};  // bytes left before an injected write failure; -1: off
std::atomic<int> sibling_counter{0};

// A hidden name beside `p`, unique within this process and across processes: ".model.saving-<pid>-<n>".
fs::path hidden_sibling(const fs::path& p, const char* tag) {
  return parent_directory(p) / str(".", p.filename().string(), ".", tag, "-", ::getpid(), "-", ++sibling_counter);
}

// Makes a rename or a new file in `dir` durable.
void sync_directory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

fs::path normalized_path(const std::string& path) {
  fs::path p = fs::path(path).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  return p;
}

fs::path parent_directory(const fs::path& path) { return path.parent_path().empty() ? fs::path(".") : path.parent_path(); }

void fail_writes_after_bytes_for_testing(std::int64_t bytes) { fail_budget = bytes < 0 ? -1 : bytes; }

void write_file_synced(const std::string& path, const std::string& bytes) {
  FILE* file = std::fopen(path.c_str(), "wb");
  check(file != nullptr, path, ": cannot create the file: ", std::strerror(errno), ".");
  std::size_t count = bytes.size();
  bool injected = false;
  if (const std::int64_t budget = fail_budget.load(); budget >= 0) {
    if (static_cast<std::int64_t>(count) > budget) {
      count = static_cast<std::size_t>(budget);
      injected = true;
    }
    fail_budget = budget - static_cast<std::int64_t>(count);
  }
  const std::size_t written = std::fwrite(bytes.data(), 1, count, file);
  bool ok = written == count && std::fflush(file) == 0 && ::fsync(fileno(file)) == 0;
  const int error = errno;
  ok = std::fclose(file) == 0 && ok;
  check(ok && !injected, path, ": writing failed after ", written, " of ", bytes.size(), " bytes: ",
        injected ? "injected failure (fail_writes_after_bytes_for_testing)" : std::strerror(error), ".");
}

std::string read_regular_file(const fs::path& path, std::uint64_t max_bytes, const std::string& what) {
  // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; fstat then refuses it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  check(fd >= 0, path.string(), ": cannot open (", what, "): ", std::strerror(errno), ".");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  check(::fstat(fd, &info) == 0, path.string(), ": cannot read (", what, "): ", std::strerror(errno), ".");
  check(S_ISREG(info.st_mode), path.string(), " (", what, "): not a regular file (",
        S_ISDIR(info.st_mode) ? "a directory" : S_ISFIFO(info.st_mode) ? "a FIFO" : "a device or socket",
        "). Expected a file.");
  const auto size = static_cast<std::uint64_t>(info.st_size);
  check(size <= max_bytes, path.string(), " (", what, "): holds ", size, " bytes, ", size - max_bytes,
        " more than the ", max_bytes, " expected.");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    check(n >= 0, path.string(), ": reading failed after ", done, " bytes (", what, "): ", std::strerror(errno), ".");
    check(n > 0, path.string(), " (", what, "): the file shrank to ", done, " bytes while being read.");
    done += static_cast<std::size_t>(n);
  }
  char extra;
  check(::read(fd, &extra, 1) == 0, path.string(), " (", what, "): the file grew while being read.");
  return bytes;
}

void check_output_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  const fs::path p = normalized_path(path);
  check(!p.empty() && !fs::is_directory(p, ec), what, ": ", path, " is a directory; expected a file name.");
  check(fs::is_directory(parent_directory(p), ec), what, ": cannot write ", path, ": the directory ",
        parent_directory(p).string(), " does not exist.");
}

void write_file_atomically(const std::string& path, const std::string& bytes, const std::string& what) {
  check_output_file(path, what);
  const fs::path target = normalized_path(path);
  std::error_code ec;
  const fs::path temp = hidden_sibling(target, "writing");
  try {
    write_file_synced(temp.string(), bytes);
    fs::rename(temp, target, ec);
    check(!ec, "cannot move the new file over ", path, ": ", ec.message(), ".");
    sync_directory(parent_directory(target));
  } catch (const Error& e) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    fail(str(what, ": ", e.what()));
  }
}

void replace_directory(const std::string& dir, const std::function<void(const std::string&)>& fill,
                       const std::string& what) {
  const fs::path target = normalized_path(dir);
  const fs::path parent = parent_directory(target);
  const fs::path staging = hidden_sibling(target, "saving");
  std::error_code ec;
  try {
    fill(staging.string());
    sync_directory(staging);
    if (!fs::exists(target, ec)) {
      fs::rename(staging, target, ec);
      check(!ec, what, ": cannot move the saved files into ", dir, ": ", ec.message(), ".");
    } else if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
      // A file system without RENAME_EXCHANGE: move the old directory aside, the new one in, and the old one back
      // if that fails.
      const fs::path old = hidden_sibling(target, "old");
      fs::rename(target, old, ec);
      check(!ec, what, ": cannot move the previous ", dir, " aside: ", ec.message(), ".");
      fs::rename(staging, target, ec);
      if (ec) {
        std::error_code restore;
        fs::rename(old, target, restore);
        fail(str(what, ": cannot move the saved files into ", dir, ": ", ec.message(), "."));
      }
      fs::remove_all(old, ec);
    }
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
  fs::remove_all(staging, ec);  // after an exchange it holds the previous directory
  sync_directory(parent);
}

}  // namespace descent
