// Files that are whole or absent: synced writes, atomic replacement of a file or a directory. The library's saves
// and the descent program's outputs all go through here.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace descent {

/// Writes `bytes` to `path` and flushes them to disk; a short write (a full disk, a file-size limit) is an Error
/// naming the file and how many bytes went out. For files inside a directory that is swapped in whole.
void write_file_synced(const std::string& path, const std::string& bytes);

/// Checks, before any work is done, that a file can be created at `path`: its directory exists and `path` is not a
/// directory. `what` names the file's role in messages ("--log").
void check_output_file(const std::string& path, const std::string& what);

/// Writes `bytes` to a hidden file beside `path`, syncs it and renames it over `path`, so `path` holds the old
/// contents or the new ones, never a part. Runs check_output_file first.
void write_file_atomically(const std::string& path, const std::string& bytes, const std::string& what);

/// Makes the directory `dir` anew: `fill` writes it into a hidden sibling (the path it receives does not exist yet),
/// which is then swapped in with one rename (renameat2 RENAME_EXCHANGE where the file system has it), so readers
/// see the previous directory or the new one, never a mix. On any failure `dir` stays as it was and the sibling is
/// removed. Whether `dir` may be replaced at all is the caller's check. `what` starts messages.
void replace_directory(const std::string& dir, const std::function<void(const std::string& staging)>& fill,
                       const std::string& what);

/// Reads the whole of `path`, which must be a regular file (never a directory, a device or a FIFO, whose reads
/// block or never end) of at most `max_bytes` bytes; the size is checked before anything is read, and a file that
/// changes size while being read is an Error. `what` starts messages.
std::string read_regular_file(const std::filesystem::path& path, std::uint64_t max_bytes, const std::string& what);

/// The path without a trailing separator: "model/" names the directory "model".
std::filesystem::path normalized_path(const std::string& path);
/// The directory holding `path` ("." for a bare name).
std::filesystem::path parent_directory(const std::filesystem::path& path);

/// For tests of atomic writing: writes fail with an Error once `bytes` more bytes have gone out, as a full disk
/// would make them fail; a negative value turns this off.
void fail_writes_after_bytes_for_testing(std::int64_t bytes);

}  // namespace descent
