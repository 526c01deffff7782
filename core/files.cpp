// Atomic writes: write beside the target, fsync, rename over it; a directory is swapped in with RENAME_EXCHANGE, or
// with two renames whose gap a hidden copy of the previous directory covers; flock orders writers and readers.
//
// The states replace_directory passes through, and what is at <dir> in each (a crash freezes one of them):
//   1. filling .<name>.saving-<pid>-<n>         <dir> is the previous version (or absent on a first save)
//   2. exchanged (RENAME_EXCHANGE)              <dir> is the new version; the staging name holds the previous one
//   3. fallback, after renaming <dir> aside     <dir> is missing; .<name>.old-<pid>-<n> holds the previous version,
//                                               which read_directory reads and the next replacement renames back
//   4. fallback, after renaming staging in      <dir> is the new version; .<name>.old-... holds the previous one
//   5. removing the swapped-out sibling         <dir> is the new version
// A directory is filled only under a staging name; once at <dir> its files are never changed, only removed after it
// is swapped out. So a reader holding a descriptor of one directory reads one version, or finds a file missing.
#include "files.hpp"

#include <descent/core/error.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace descent {
namespace fs = std::filesystem;
namespace {

std::atomic<std::int64_t> fail_budget{-1};  // bytes left before an injected write failure; -1: off
std::atomic<int> crash_step{0}, crash_points_passed{0};
std::atomic<bool> rename_fallback_forced{false}, locks_disabled{false};


// A place where a crash test may end the process.
void crash_point() {
  const int step = crash_step.load();
  if (step > 0 && ++crash_points_passed == step) ::_exit(kCrashExitCodeForTesting);
}

// Makes a rename or a new file in `dir` durable. Best effort: some file systems refuse fsync on a directory.
void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// `path` with a symlink in its last component followed (repeatedly), so that writing replaces what it points to.
fs::path through_links(fs::path path) {
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(path, ec)) break;
    const fs::path link = fs::read_symlink(path, ec);
    if (ec) break;
    path = normalized_path((link.is_absolute() ? link : parent_directory(path) / link).string());
  }
  return path;
}

// ---------------------------------------------------------------------------------------------------------------
// Hidden siblings ".<name>.<tag>-<pid>-<n>": staging directories ("saving"), previous versions set aside by the
// rename fallback ("old"), temporary files ("writing"), leftovers being removed ("removing").

// The name a path's siblings start from: its own, or for a name so long that ".<name>.saving-<pid>-<n>" would pass
// NAME_MAX (255 bytes), its first 200 bytes and a hash of the whole (FNV-1a).
std::string sibling_base(const fs::path& target) {
  const std::string name = target.filename().string();
  if (name.size() <= 200) return name;
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : name) hash = (hash ^ c) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return str(name.substr(0, 200), "~", hex);
}

std::atomic<int> sibling_counter{0};
std::mutex live_mutex;
std::set<std::string> live_siblings;  // this process's siblings in use: others with its pid are crash leftovers

// A sibling name reserved for one write until destroyed. It did not exist when chosen: a stale one of the same name
// (left by a crashed process whose pid and counter this one repeats) is passed over, and removed by clean_leftovers.
class Sibling {
 public:
  Sibling(const fs::path& target, const char* tag) {
    const std::string head = str(".", sibling_base(target), ".", tag, "-", ::getpid(), "-");
    for (struct stat info {};;) {
      path_ = parent_directory(target) / str(head, ++sibling_counter);
      if (::lstat(path_.c_str(), &info) != 0) break;  // a failure other than ENOENT shows when the name is created
    }
    std::lock_guard lock(live_mutex);
    live_siblings.insert(path_.string());
  }
  ~Sibling() {
    std::lock_guard lock(live_mutex);
    live_siblings.erase(path_.string());
  }
  Sibling(const Sibling&) = delete;
  Sibling& operator=(const Sibling&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Leftover {
  fs::path path;
  std::string tag;   // of the last suffix, as is the pid
  long pid = 0;
  bool direct = true;  // ".<name>.<tag>-..."; false for a sibling of a sibling (a save nested in a save's fill)
};

// Splits ".<base>.<tag>-<pid>-<n>" into base, tag and pid; false for any other name.
bool split_sibling_name(const std::string& name, std::string& base, Leftover& parts) {
  const auto dot = name.rfind('.');
  if (name.size() < 2 || name[0] != '.' || dot == 0 || dot == std::string::npos) return false;
  for (const char* tag : {"saving", "old", "writing", "removing"}) {
    const std::string head = str(tag, "-");
    int n = 0;
    char rest = 0;
    if (name.compare(dot + 1, head.size(), head) == 0 &&
        std::sscanf(name.c_str() + dot + 1 + head.size(), "%ld-%d%c", &parts.pid, &n, &rest) == 2) {
      base = name.substr(1, dot - 1);
      parts.tag = tag;
      return true;
    }
  }
  return false;
}

// The hidden siblings some write of `target` made, found by their names: ".<name>.saving-<pid>-<n>" and the like,
// and those of a save nested in that one's fill ("..<name>.saving-<pid>-<n>.saving-<pid>-<m>"), which is all a
// crash there leaves, since the outer staging name comes into being only when the nested save ends.
std::vector<Leftover> siblings_of(const fs::path& target) {
  const std::string target_name = sibling_base(target);
  std::vector<Leftover> found;
  std::error_code ec;
  for (fs::directory_iterator it(parent_directory(target), ec), end; !ec && it != end; it.increment(ec)) {
    Leftover sibling{it->path()}, outer;
    std::string base;
    if (!split_sibling_name(it->path().filename().string(), base, sibling)) continue;  // its own tag and pid
    for (std::string name = base; base != target_name && split_sibling_name(name, base, outer); name = base)
      sibling.direct = false;
    if (base == target_name) found.push_back(sibling);
  }
  return found;
}

// Whether a sibling may belong to a write still running. This process's are listed. With the parent locked, no other
// process's write can be running. Without a lock, another process's write may be, here or on another client of a
// network file system (where its pid means nothing), so only a sibling whose pid is gone here and that has not
// changed for an hour counts as left over.
bool in_use(const Leftover& sibling, bool locked) {
  {
    std::lock_guard lock(live_mutex);
    if (live_siblings.count(sibling.path.string())) return true;
  }
  if (locked || sibling.pid == ::getpid()) return false;
  const bool gone = sibling.pid <= 0 || (::kill(static_cast<pid_t>(sibling.pid), 0) != 0 && errno == ESRCH);
  struct stat info {};
  const bool recent = ::lstat(sibling.path.c_str(), &info) != 0 || info.st_mtime > ::time(nullptr) - 3600;
  return !gone || recent;
}

// The most recently renamed previous version ("old") among `siblings`, or an empty path.
fs::path newest_previous(const std::vector<Leftover>& siblings) {
  fs::path newest;
  std::pair<time_t, long> newest_time{};
  for (const Leftover& s : siblings) {
    struct stat info {};
    if (s.tag != "old" || !s.direct || ::stat(s.path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) continue;
    const std::pair<time_t, long> t{info.st_ctim.tv_sec, info.st_ctim.tv_nsec};  // a rename sets it
    if (newest.empty() || t > newest_time) {
      newest = s.path;
      newest_time = t;
    }
  }
  return newest;
}

// Removes the siblings earlier writes of `target` left and no running write uses. If `target` is missing because a
// fallback replacement stopped in state 3, its previous version is renamed back first, so the path keeps a model.
void clean_leftovers(const fs::path& target, bool locked) {
  std::vector<Leftover> leftovers = siblings_of(target);
  std::erase_if(leftovers, [&](const Leftover& s) { return in_use(s, locked); });
  struct stat info {};
  if (::lstat(target.c_str(), &info) != 0 && errno == ENOENT) {
    const fs::path previous = newest_previous(leftovers);
    if (!previous.empty()) {
      if (::rename(previous.c_str(), target.c_str()) != 0) {
        const int error = errno;
        fail(str("cannot move the previous version ", previous.string(), " back to ", target.string(), ": ",
                 errno_text(error), "."));
      }
      std::erase_if(leftovers, [&](const Leftover& s) { return s.path == previous; });
    }
  }
  // Each is renamed to a name of this write before it is removed: a write that was still using it (possible only
  // where locks fail) then finds it gone and fails, instead of swapping in a directory half removed.
  std::error_code ec;
  for (const Leftover& s : leftovers) {
    const Sibling trash(target, "removing");
    if (::rename(s.path.c_str(), trash.path().c_str()) == 0) fs::remove_all(trash.path(), ec);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Locks

thread_local std::vector<std::pair<dev_t, ino_t>> held_locks;  // directories this thread holds a flock on

// An advisory flock on a directory, exclusive for writers and shared for readers, until destroyed. A thread that
// already holds one on the directory (a save nested in a save's fill) reuses it rather than wait on itself. Where the
// file system refuses flock, nothing is held and locked() is false.
class DirectoryLock {
 public:
  DirectoryLock(const fs::path& dir, bool exclusive) {
    if (locks_disabled) return;
    fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct stat info {};
    if (fd_ >= 0 && ::fstat(fd_, &info) == 0) {
      key_ = {info.st_dev, info.st_ino};
      nested_ = std::find(held_locks.begin(), held_locks.end(), key_) != held_locks.end();
      int result = 0;
      if (!nested_)
        while ((result = ::flock(fd_, exclusive ? LOCK_EX : LOCK_SH)) != 0 && errno == EINTR) {
        }
      if (!nested_ && result == 0) {
        held_locks.push_back(key_);
        return;
      }
    }
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  ~DirectoryLock() {
    if (fd_ < 0) return;
    held_locks.erase(std::find(held_locks.begin(), held_locks.end(), key_));
    // Unlocked explicitly: a flock belongs to the open file, which a child forked meanwhile also holds, so close
    // alone would leave it locked while that child lives.
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  bool locked() const { return fd_ >= 0 || nested_; }

 private:
  int fd_ = -1;
  bool nested_ = false;
  std::pair<dev_t, ino_t> key_{};
};

// Replaces `target` by `staging` with two renames, for file systems without RENAME_EXCHANGE (states 3 and 4).
void swap_by_two_renames(const fs::path& staging, const fs::path& target, const std::string& what) {
  const Sibling old(target, "old");
  if (::rename(target.c_str(), old.path().c_str()) != 0) {
    const int error = errno;
    fail(str(what, ": cannot move the previous ", target.string(), " aside: ", errno_text(error), "."));
  }
  crash_point();
  std::error_code ec;
  if (::rename(staging.c_str(), target.c_str()) != 0) {
    const int error = errno;
    // The previous version goes back. Only without locks can another writer's directory have taken the place
    // meanwhile; that one then stays, and the previous version is dropped.
    if (::rename(old.path().c_str(), target.c_str()) != 0 && fs::exists(target, ec)) fs::remove_all(old.path(), ec);
    fail(str(what, ": cannot move the saved files into ", target.string(), ": ", errno_text(error), "."));
  }
  crash_point();
  fs::remove_all(old.path(), ec);
}

// Whether `path` still names the file open as `fd`.
bool same_file(int fd, const fs::path& path) {
  struct stat held {}, now {};
  return ::fstat(fd, &held) == 0 && ::stat(path.c_str(), &now) == 0 && held.st_dev == now.st_dev &&
         held.st_ino == now.st_ino;
}

}  // namespace

fs::path normalized_path(const std::string& path) {
  fs::path p = fs::path(path).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  return p;
}

fs::path parent_directory(const fs::path& path) { return path.parent_path().empty() ? fs::path(".") : path.parent_path(); }

void fail_writes_after_bytes_for_testing(std::int64_t bytes) { fail_budget = bytes < 0 ? -1 : bytes; }
void crash_at_step_for_testing(int step) {
  crash_points_passed = 0;
  crash_step = step;
}
void force_rename_fallback_for_testing(bool on) { rename_fallback_forced = on; }
void disable_locks_for_testing(bool off) { locks_disabled = off; }

void write_file_synced(const std::string& path, const std::string& bytes) {
  FILE* file = std::fopen(path.c_str(), "wbe");
  if (file == nullptr) {
    const int error = errno;
    fail(str(path, ": cannot create the file: ", errno_text(error), "."));
  }
  crash_point();
  std::size_t count = bytes.size();
  bool injected = false;
  if (const std::int64_t budget = fail_budget.load(); budget >= 0) {
    if (static_cast<std::int64_t>(count) > budget) {
      count = static_cast<std::size_t>(budget);
      injected = true;
    }
    fail_budget = budget - static_cast<std::int64_t>(count);
  }
  // The errno of the first call that fails, each read right after its call.
  int error = 0;
  const std::size_t written = std::fwrite(bytes.data(), 1, count, file);
  if (written != count) error = errno ? errno : EIO;
  else if (std::fflush(file) != 0) error = errno;
  else if (::fsync(fileno(file)) != 0) error = errno;
  if (std::fclose(file) != 0 && error == 0) error = errno;
  check(error == 0 && !injected, path, ": writing failed after ", written, " of ", bytes.size(), " bytes: ",
        injected ? "injected failure (fail_writes_after_bytes_for_testing)" : errno_text(error), ".");
  crash_point();
}

std::string read_regular_file_at(int dir_fd, const fs::path& name, const fs::path& shown, std::uint64_t max_bytes,
                                 const std::string& what) {
  // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; fstat then refuses it.
  const int fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    fail(str(shown.string(), ": cannot open (", what, "): ", errno_text(error), "."));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    fail(str(shown.string(), ": cannot read (", what, "): ", errno_text(error), "."));
  }
  check(S_ISREG(info.st_mode), shown.string(), " (", what, "): not a regular file (",
        S_ISDIR(info.st_mode) ? "a directory" : S_ISFIFO(info.st_mode) ? "a FIFO" : "a device or socket",
        "). Expected a file.");
  const auto size = static_cast<std::uint64_t>(info.st_size);
  check(size <= max_bytes, shown.string(), " (", what, "): holds ", size, " bytes, ", size - max_bytes,
        " more than the ", max_bytes, " expected.");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    const int error = errno;
    if (n < 0 && error == EINTR) continue;
    check(n >= 0, shown.string(), ": reading failed after ", done, " bytes (", what, "): ", errno_text(error), ".");
    check(n > 0, shown.string(), " (", what, "): the file shrank to ", done, " bytes while being read.");
    done += static_cast<std::size_t>(n);
  }
  char extra;
  check(::read(fd, &extra, 1) == 0, shown.string(), " (", what, "): the file grew while being read.");
  return bytes;
}

std::string read_regular_file(const fs::path& path, std::uint64_t max_bytes, const std::string& what) {
  return read_regular_file_at(AT_FDCWD, path, path, max_bytes, what);
}

void check_output_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  const fs::path p = normalized_path(path);
  check(!p.empty() && !fs::is_directory(p, ec), what, ": ", path, " is a directory; expected a file name.");
  const fs::path parent = parent_directory(p);
  struct stat info {};
  const int error = ::stat(parent.c_str(), &info) != 0 ? errno : S_ISDIR(info.st_mode) ? 0 : ENOTDIR;
  check(error == 0, what, ": cannot write ", path, ": the directory ", parent.string(), ": ", errno_text(error), ".");
}

void write_file_atomically(const std::string& path, const std::string& bytes, const std::string& what) {
  check_output_file(path, what);
  const fs::path target = through_links(normalized_path(path));
  const DirectoryLock lock(parent_directory(target), true);
  try {
    clean_leftovers(target, lock.locked());
    const Sibling temp(target, "writing");
    std::error_code ec;
    try {
      write_file_synced(temp.path().string(), bytes);
      struct stat previous {};
      if (::stat(target.c_str(), &previous) == 0 && ::chmod(temp.path().c_str(), previous.st_mode & 07777) != 0) {
        const int error = errno;
        fail(str("cannot set the permissions of ", temp.path().string(), ": ", errno_text(error), "."));
      }
      if (::rename(temp.path().c_str(), target.c_str()) != 0) {
        const int error = errno;
        fail(str("cannot move the new file over ", target.string(), ": ", errno_text(error), "."));
      }
    } catch (...) {
      fs::remove(temp.path(), ec);
      throw;
    }
    sync_directory(parent_directory(target));
  } catch (const Error& e) {
    fail(str(what, ": ", e.what()));
  }
}

void replace_directory(const std::string& dir, const std::function<void(const std::string&)>& fill,
                       const std::string& what) {
  const fs::path target = through_links(normalized_path(dir));
  const fs::path parent = parent_directory(target);
  const DirectoryLock lock(parent, true);
  try {
    clean_leftovers(target, lock.locked());
  } catch (const Error& e) {
    fail(str(what, ": ", e.what()));
  }
  const Sibling staging(target, "saving");
  std::error_code ec;
  try {
    fill(staging.path().string());
    sync_directory(staging.path());
    struct stat previous {};
    const bool replacing = ::lstat(target.c_str(), &previous) == 0;
    if (replacing && ::chmod(staging.path().c_str(), previous.st_mode & 07777) != 0) {
      const int error = errno;
      fail(str(what, ": cannot set the permissions of ", staging.path().string(), ": ", errno_text(error), "."));
    }
    crash_point();
    if (!replacing) {
      if (::rename(staging.path().c_str(), target.c_str()) != 0) {
        const int error = errno;
        fail(str(what, ": cannot move the saved files into ", target.string(), ": ", errno_text(error), "."));
      }
    } else if (rename_fallback_forced ||
               ::renameat2(AT_FDCWD, staging.path().c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
      swap_by_two_renames(staging.path(), target, what);
    }
    crash_point();
  } catch (...) {
    fs::remove_all(staging.path(), ec);
    throw;
  }
  fs::remove_all(staging.path(), ec);  // after an exchange it holds the previous directory
  crash_point();
  sync_directory(parent);
}

void read_directory(const std::string& dir, const std::function<void(int, const std::string&)>& read,
                    const std::string& what) {
  const fs::path target = through_links(normalized_path(dir));
  constexpr int kAttempts = 50;  // only without locks can a read meet a replacement; each retry is a new version
  for (int attempt = 1;; ++attempt) {
    {
      const DirectoryLock lock(parent_directory(target), false);
      std::string shown = dir;
      int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      int error = fd < 0 ? errno : 0;
      if (error == ENOENT) {  // state 3: the previous version waits under a hidden name
        shown = newest_previous(siblings_of(target)).string();
        fd = shown.empty() ? -1 : ::open(shown.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        error = fd < 0 ? ENOENT : 0;
        if (fd < 0) shown = dir;
      }
      if (fd < 0) {
        std::error_code ec;
        // Without locks, the sibling may have gone between the two looks because the new version arrived.
        if (error == ENOENT && attempt < kAttempts && fs::exists(target, ec)) continue;
        fail(str(dir, ": cannot open (", what, "): ", errno_text(error), "."));
      }
      struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
      } closer{fd};
      try {
        read(fd, shown);
        return;
      } catch (const Error&) {
        // A directory replaced while it was read may have lost files under the reader; read the new one.
        std::error_code ec;
        const bool replaced = !same_file(fd, shown) || (shown != dir && fs::exists(target, ec));
        if (!replaced || attempt >= kAttempts) throw;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(attempt, 5)));
  }
}

}  // namespace descent
