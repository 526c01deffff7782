// Files that are whole or absent: synced writes, atomic replacement of a file or a directory, and reading a replaced
// directory as one version. The library's saves and loads and the descent program's outputs all go through here.
//
// Guarantees (Linux; the limits follow):
// - A crash at any point of a replacement leaves, at the path, the previous version or the new one, whole. Where the
//   file system cannot swap two directories in one call (NFS, CIFS, FUSE, older ZFS lack RENAME_EXCHANGE), the one
//   moment with nothing at the path is covered by the previous directory, kept under a hidden sibling name that
//   read_directory falls back to and the next replacement moves back (see replace_directory). After a power cut
//   this holds where the file system keeps renames in order (journaled local file systems, NFS).
// - A reader never combines files of two versions: read_directory hands it one directory by descriptor.
// - Writers of one path exclude each other (threads and processes), and readers wait for a writer, by an advisory
//   flock on the parent directory, so no write fails for another's sake and no read needs a second attempt. The
//   lock is the parent's: writes of different paths in one directory also take turns, and readers wait for them.
// - Leftovers of a crashed write (hidden ".<name>.saving-<pid>-<n>", ".<name>.old-<pid>-<n>",
//   ".<name>.writing-<pid>-<n>", ".<name>.removing-<pid>-<n>" siblings) are removed by the next write of that path,
//   never one in use.
// Limits where flock fails (on NFS Linux turns it into a byte-range lock, which a directory opened for reading cannot
// take exclusively): the first two points still hold.
// A read that meets a replacement (its directory's files removed under it) starts again, up to 50 times, and is an
// Error only if every attempt meets one. Concurrent writers each succeed or get an Error, and the path holds the
// last complete version. Another process's leftovers are removed only once its pid is gone on this machine and they
// are an hour old, so a save on another client whose staging directory stays unchanged for an hour may have it
// removed by a save here: it then fails with an Error, and the path keeps a complete version.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace descent {

/// Writes `bytes` to `path` and flushes them to disk; a short write (a full disk, a file-size limit) is an Error
/// naming the file, how many bytes went out and the system's reason. For files inside a directory that is swapped
/// in whole.
void write_file_synced(const std::string& path, const std::string& bytes);

/// Checks, before any work is done, that a file can be created at `path`: its directory exists and `path` is not a
/// directory. `what` names the file's role in messages ("--log").
void check_output_file(const std::string& path, const std::string& what);

/// Writes `bytes` to a hidden file beside `path`, syncs it and renames it over `path`, so `path` holds the old
/// contents or the new ones, never a part. A symlink at `path` is written through (the file it points to is
/// replaced; the link stays), and an existing file keeps its permission bits. Runs check_output_file first.
void write_file_atomically(const std::string& path, const std::string& bytes, const std::string& what);

/// Makes the directory `dir` anew: `fill` writes it into a hidden sibling (the path it receives does not exist yet),
/// which is then swapped in with one rename (renameat2 RENAME_EXCHANGE), so readers see the previous directory or
/// the new one, never a mix. Without RENAME_EXCHANGE the previous directory is renamed to ".<name>.old-<pid>-<n>"
/// and the new one into place; a crash between the two leaves that sibling, which read_directory then reads and the
/// next replace_directory renames back before its own swap. On any failure `dir` stays as it was and the sibling is
/// removed. A symlink at `dir` is written through (the directory it points to is replaced); the new directory keeps
/// the permission bits of the one it replaces. Runs under an exclusive flock of the parent directory (a thread may
/// nest calls, as `fill` saving into the staging path does). Whether `dir` may be replaced at all is the caller's
/// check. `what` starts messages.
void replace_directory(const std::string& dir, const std::function<void(const std::string& staging)>& fill,
                       const std::string& what);

/// Calls `read` with a descriptor of the directory `dir` and the path to name it by in messages; everything `read`
/// opens relative to that descriptor (read_regular_file_at) belongs to one version written by replace_directory.
/// When `dir` is missing because a replacement was cut short, the previous version's hidden sibling is read. Runs
/// under a shared flock of the parent directory; where flock is unavailable, an Error from `read` after `dir` was
/// replaced meanwhile (its files removed under it) starts the read again, a bounded number of times.
void read_directory(const std::string& dir, const std::function<void(int dir_fd, const std::string& shown)>& read,
                    const std::string& what);

/// Reads the whole of `path`, which must be a regular file (never a directory, a device or a FIFO, whose reads
/// block or never end) of at most `max_bytes` bytes; the size is checked before anything is read, and a file that
/// changes size while being read is an Error. `what` starts messages.
std::string read_regular_file(const std::filesystem::path& path, std::uint64_t max_bytes, const std::string& what);
/// read_regular_file of `name` relative to the open directory `dir_fd`; messages name the file `shown`.
std::string read_regular_file_at(int dir_fd, const std::filesystem::path& name, const std::filesystem::path& shown,
                                 std::uint64_t max_bytes, const std::string& what);

/// The path without a trailing separator: "model/" names the directory "model".
std::filesystem::path normalized_path(const std::string& path);
/// The directory holding `path` ("." for a bare name).
std::filesystem::path parent_directory(const std::filesystem::path& path);

/// For tests of atomic writing: writes fail with an Error once `bytes` more bytes have gone out, as a full disk
/// would make them fail; a negative value turns this off.
void fail_writes_after_bytes_for_testing(std::int64_t bytes);
/// For crash tests, in a forked child: the process ends with _exit(kCrashExitCodeForTesting) at the `step`-th
/// crash point (1, 2, ...) of the writes that follow, as a power cut or a kill would end it; 0 turns this off.
void crash_at_step_for_testing(int step);
constexpr int kCrashExitCodeForTesting = 86;
/// For tests: replace_directory moves directories with two renames, as where RENAME_EXCHANGE is unavailable.
void force_rename_fallback_for_testing(bool on);
/// For tests: no flock is taken, as where the file system refuses it.
void disable_locks_for_testing(bool off);

}  // namespace descent
