// File helpers for the descent program: whole-file reads, atomic writes, and saved-model directories swapped in whole.
#pragma once

#include <functional>
#include <string>

namespace descent::cli {

/// The file's bytes; a missing or unreadable file is an Error naming it.
std::string read_file(const std::string& path);

/// Writes `bytes` to a hidden file beside `path`, flushes it to disk and renames it over `path`, so `path` holds the
/// old contents or the new ones, never a part. `what` names the file's role in messages ("--log").
void write_file_atomically(const std::string& path, const std::string& bytes, const std::string& what);

/// Writes `bytes` to `path` and flushes it to disk (for files inside a directory that is swapped in whole).
void write_file_synced(const std::string& path, const std::string& bytes);

/// Checks, before any work is done, that a new file can be created at `path`: its directory exists and `path` is not
/// a directory. `what` names the option in messages.
void check_output_file(const std::string& path, const std::string& what);

/// Files a saved-model directory may hold: model.json, *.bin and descent.json.
bool is_saved_model_file(const std::string& name);

/// Checks, before training, that `dir` can receive a saved model: its parent directory exists, and `dir` is either
/// absent or a directory holding only saved-model files (so a mistyped --out never replaces someone's folder).
void check_output_dir(const std::string& dir);

/// Builds the directory `dir` as `fill` writes it into a hidden sibling, then swaps it in with one rename: readers see
/// the previous model or the new one, never a mix, and a failure (a full disk, a file-size limit) leaves `dir` as it
/// was and removes the sibling. `fill` receives the sibling's path, which does not exist yet.
void replace_directory(const std::string& dir, const std::function<void(const std::string& staging)>& fill);

}  // namespace descent::cli
