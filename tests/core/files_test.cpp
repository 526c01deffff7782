// Whole-file helpers: atomic file writes through symlinks, errors naming the real cause, and replace_directory's
// leftovers, permission bits and symlinks. Crashes and concurrency with real models: tests/saving/saving_test.cpp.
#include <descent/core/error.hpp>
#include <descent/core/files.hpp>

#include <doctest/doctest.h>

#include "support/temp_dir.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace descent;
namespace fs = std::filesystem;

namespace {


std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

unsigned mode_of(const fs::path& p) {
  struct stat info {};
  REQUIRE(::stat(p.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

// A fill for replace_directory: the staging directory with files "a" and "b" both holding `version`.
std::function<void(const std::string&)> version_fill(const std::string& version) {
  return [version](const std::string& staging) {
    if (::mkdir(staging.c_str(), 0777) != 0) {
      const int error = errno;
      fail(str("cannot create ", staging, ": ", std::strerror(error)));
    }
    write_file_synced(staging + "/a", version);
    write_file_synced(staging + "/b", version);
  };
}

// The version in directory `dir`, read as one (read_directory); an Error if "a" and "b" disagree.
std::string read_version(const std::string& dir) {
  std::string version;
  read_directory(dir, [&](int fd, const std::string& shown) {
    const std::string a = read_regular_file_at(fd, "a", fs::path(shown) / "a", 1 << 20, "test");
    const std::string b = read_regular_file_at(fd, "b", fs::path(shown) / "b", 1 << 20, "test");
    check(a == b, shown, ": a mix of ", a, " and ", b);
    version = a;
  }, "test");
  return version;
}

}  // namespace

TEST_CASE("write_file_atomically writes through a symlink and keeps the file's permission bits") {
  testing::TempDir tmp("files");
  write_file_atomically(tmp / "real.csv", "old", "--log");
  REQUIRE(::chmod((tmp.path / "real.csv").c_str(), 0640) == 0);
  fs::create_symlink("real.csv", tmp.path / "link.csv");
  write_file_atomically(tmp / "link.csv", "new", "--log");
  CHECK(fs::is_symlink(tmp.path / "link.csv"));
  CHECK(fs::read_symlink(tmp.path / "link.csv") == "real.csv");
  CHECK(read_text(tmp.path / "real.csv") == "new");
  CHECK(mode_of(tmp.path / "real.csv") == 0640);
  CHECK(entries(tmp.path) == std::vector<std::string>{"link.csv", "real.csv"});
}

TEST_CASE("Errors name the failing call's cause: a parent that is a file, a name beyond NAME_MAX") {
  testing::TempDir tmp("files");
  write_file_atomically(tmp / "file", "x", "--log");
  CHECK_THROWS_WITH_AS(write_file_atomically(tmp / "file/out.csv", "y", "--log"),
                       doctest::Contains("Not a directory"), Error);
  CHECK_THROWS_WITH_AS(check_output_file(tmp / "file/out.csv", "--log"), doctest::Contains("Not a directory"), Error);
  CHECK_THROWS_WITH_AS(write_file_atomically(tmp.path.string(), "y", "--log"),
                       doctest::Contains("is a directory; expected a file name"), Error);
  CHECK_THROWS_WITH_AS(replace_directory(tmp / std::string(300, 'd'), version_fill("1"), "save"),
                       doctest::Contains("File name too long"), Error);
  CHECK_THROWS_WITH_AS(write_file_atomically(tmp / std::string(300, 'f'), "y", "--log"),
                       doctest::Contains("File name too long"), Error);
  CHECK_THROWS_WITH_AS(write_file_synced(tmp / "missing/f", "z"), doctest::Contains("No such file or directory"),
                       Error);
  CHECK(entries(tmp.path) == std::vector<std::string>{"file"});
}

TEST_CASE("A name within NAME_MAX but too long to prefix and suffix is written: its hidden siblings' names are shortened") {
  testing::TempDir tmp("files");
  const std::string dir_name(250, 'd'), file_name = std::string(245, 'f') + ".csv";
  for (bool fallback : {false, true}) {
    CAPTURE(fallback);
    force_rename_fallback_for_testing(fallback);
    replace_directory(tmp / dir_name, version_fill("1"), "save");
    replace_directory(tmp / dir_name, version_fill("2"), "save");
    write_file_atomically(tmp / file_name, "x", "--log");
    write_file_atomically(tmp / file_name, "y", "--log");
    force_rename_fallback_for_testing(false);
    CHECK(read_version(tmp / dir_name) == "2");
    CHECK(read_text(tmp.path / file_name) == "y");
    CHECK(entries(tmp.path) == std::vector<std::string>{dir_name, file_name});
  }
}

TEST_CASE("replace_directory removes crash leftovers, and a stale name this process would reuse never fails it") {
  testing::TempDir tmp("files");
  const std::string dir = tmp / "m";
  std::string staging_seen;
  replace_directory(dir, [&](const std::string& staging) {
    staging_seen = staging;
    version_fill("1")(staging);
  }, "save");
  // The names this process takes next: ".m.saving-<pid>-<n+1>" and on, as a crashed process with the same pid
  // (a container restarted) would have left them, full.
  const int n = std::stoi(staging_seen.substr(staging_seen.rfind('-') + 1));
  for (const char* tag : {"saving", "old", "writing", "removing"})
    for (int k = 1; k <= 5; ++k) {
      const fs::path stale = tmp.path / str(".m.", tag, "-", ::getpid(), "-", n + k);
      fs::create_directories(stale / "sub");
      std::ofstream(stale / "weights.bin") << "stale";
    }
  // What a crash leaves of a save nested in a save's fill (the descent program saves the model into its staging
  // directory): the outer staging name never came into being.
  fs::create_directories(tmp.path / str("..m.saving-", ::getpid(), "-", n + 20, ".saving-", ::getpid(), "-", n + 21));
  fs::create_directories(tmp.path / ".m.saving-x");  // not a name a write makes: kept
  fs::create_directories(tmp.path / str(".n.saving-", ::getpid(), "-", n + 1));  // another path's: kept
  for (bool fallback : {false, true}) {
    CAPTURE(fallback);
    force_rename_fallback_for_testing(fallback);
    replace_directory(dir, version_fill(fallback ? "3" : "2"), "save");
    force_rename_fallback_for_testing(false);
    CHECK(entries(tmp.path) == std::vector<std::string>{".m.saving-x", str(".n.saving-", ::getpid(), "-", n + 1), "m"});
  }
  CHECK(read_version(dir) == "3");
}

TEST_CASE("Without locks, leftovers a running write may use are kept: this process's by name, others' by pid and age") {
  testing::TempDir tmp("files");
  const std::string dir = tmp / "m";
  replace_directory(dir, version_fill("1"), "save");
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  REQUIRE(::waitpid(dead, nullptr, 0) == dead);
  // Another process's leftovers go only when its pid is gone and they are an hour old: on a network file system a
  // pid may be another client's.
  const fs::path of_dead = tmp.path / str(".m.saving-", dead, "-1");
  const fs::path of_dead_recent = tmp.path / str(".m.old-", dead, "-2");
  const fs::path of_live = tmp.path / str(".m.saving-", ::getppid(), "-1");
  for (const fs::path& p : {of_dead, of_dead_recent, of_live}) fs::create_directories(p);
  fs::last_write_time(of_dead, fs::last_write_time(of_dead) - std::chrono::hours(2));
  fs::last_write_time(of_live, fs::last_write_time(of_live) - std::chrono::hours(2));

  disable_locks_for_testing(true);
  // A write of this process in its fill while another thread saves the same path.
  std::atomic<bool> filling{false}, fast_done{false};
  std::thread slow([&] {
    replace_directory(dir, [&](const std::string& staging) {
      version_fill("slow")(staging);
      filling = true;
      for (int i = 0; i < 10000 && !fast_done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      write_file_synced(staging + "/a", "slow");  // the staging directory is still there
    }, "save");
  });
  while (!filling) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  replace_directory(dir, version_fill("fast"), "save");  // cleans up while the slow write fills its staging
  fast_done = true;
  slow.join();
  disable_locks_for_testing(false);

  CHECK(read_version(dir) == "slow");
  CHECK_FALSE(fs::exists(of_dead));
  CHECK(fs::exists(of_dead_recent));
  CHECK(fs::exists(of_live));
  replace_directory(dir, version_fill("locked"), "save");  // with the lock, no other write can be running
  CHECK_FALSE(fs::exists(of_dead_recent));
  CHECK_FALSE(fs::exists(of_live));
  CHECK(entries(tmp.path) == std::vector<std::string>{"m"});
}

TEST_CASE("With locks, a second writer waits for the first, whose staging directory it never touches") {
  testing::TempDir tmp("files");
  const std::string dir = tmp / "m";
  std::atomic<bool> filling{false};
  std::thread slow([&] {
    replace_directory(dir, [&](const std::string& staging) {
      version_fill("slow")(staging);
      filling = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      write_file_synced(staging + "/b", "slow");
    }, "save");
  });
  while (!filling) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  replace_directory(dir, version_fill("fast"), "save");  // waits for the lock
  slow.join();
  CHECK(read_version(dir) == "fast");
  CHECK(entries(tmp.path) == std::vector<std::string>{"m"});
}

TEST_CASE("replace_directory keeps the directory's permission bits and writes through a symlinked directory") {
  testing::TempDir tmp("files");
  fs::create_directories(tmp.path / "real");
  const std::string real = tmp / "real/m";
  replace_directory(real, version_fill("1"), "save");
  REQUIRE(::chmod(real.c_str(), 0750) == 0);
  for (bool fallback : {false, true}) {
    CAPTURE(fallback);
    force_rename_fallback_for_testing(fallback);
    replace_directory(real, version_fill("2"), "save");
    CHECK(mode_of(real) == 0750);

    fs::create_symlink("real/m", tmp.path / "link");
    replace_directory(tmp / "link", version_fill("3"), "save");
    force_rename_fallback_for_testing(false);
    CHECK(fs::is_symlink(tmp.path / "link"));
    CHECK(fs::read_symlink(tmp.path / "link") == "real/m");
    CHECK(read_version(real) == "3");
    CHECK(read_version(tmp / "link") == "3");
    CHECK(mode_of(real) == 0750);
    CHECK(entries(tmp.path) == std::vector<std::string>{"link", "real"});
    CHECK(entries(tmp.path / "real") == std::vector<std::string>{"m"});
    fs::remove(tmp.path / "link");
  }
}
