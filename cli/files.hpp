// The descent program's file helpers beyond core/files.hpp: whole-file reads, the checks on a model directory, and
// the checks that every output is a new, writable name apart from every input.
#pragma once

#include <descent/core/files.hpp>

#include <functional>
#include <string>
#include <vector>

namespace descent::cli {

/// The file's bytes; a missing or unreadable file is an Error naming it.
std::string read_file(const std::string& path);

/// Files a saved-model directory may hold: model.json, *.bin and descent.json.
bool is_saved_model_file(const std::string& name);

/// Checks that `path`, given with option `what` ("--data"), names an existing file rather than a directory, so the
/// real cause is reported before anything else is checked or computed.
void check_input_file(const std::string& path, const std::string& what);

/// Checks, before any work, that a file can be written at `path`: no part of it is longer than the file system
/// allows (for the last part, with room for the hidden name descent writes beside it first), its parent is an
/// existing, writable directory, and `path` is not a directory. `what` names the option in messages ("--log").
void check_output_path(const std::string& path, const std::string& what);

/// Checks, before training, that `dir` can receive a saved model: check_output_path's checks, and `dir` is either
/// absent or a directory holding only saved-model files (so a mistyped --out never replaces someone's folder).
void check_output_dir(const std::string& dir);

/// check_output_dir, then descent::replace_directory: `fill` writes the model directory into a hidden sibling that
/// is swapped in whole.
void replace_model_directory(const std::string& dir, const std::function<void(const std::string& staging)>& fill);

/// A path a command reads or writes and the option that named it ("CONFIG", "--data", "--log").
struct NamedPath {
  std::string option;
  std::string path;
  bool directory = false;  ///< an output directory replaced whole (fit's --out): nothing may lie inside it either
};

/// Checks, before any work, that no output is an input or another output: the same file through another spelling,
/// a symlink or a hard link counts (std::filesystem::equivalent for existing files, weakly_canonical otherwise), and
/// so does any path inside an output directory. A clash is an Error naming both options and the path.
void check_no_clashes(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs);

/// The files of a saved-model directory as inputs of check_no_clashes: model.json, weights.bin and descent.json,
/// and any other weight shards (*.bin) it holds now. `option` names the directory's option ("DIR").
std::vector<NamedPath> model_directory_files(const std::string& dir, const std::string& option);

/// A file in the system's temporary directory that is removed when this object goes: for what descent needs on
/// disk but the user did not ask for (the log gnuplot draws from when --plot is given without --log).
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::string& suffix);
  ~TemporaryFile();
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace descent::cli
