// Reading whole files, and the checks that keep an output from replacing an input, another output, or a folder
// descent did not write.
#include "files.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/core/files.hpp>
#include <descent/core/text.hpp>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace descent::cli {
namespace fs = std::filesystem;
namespace {

// Atomic writes go through a hidden name beside the target, ".<name>.writing-<pid>-<n>" (core/files.cpp), and
// split's through ".<name>.split-<pid>-<n>": at most this many bytes longer than the name itself.
constexpr std::size_t kHiddenNameExtra = 32;

// The longest file name the file system holding `path` (or its nearest existing ancestor) takes.
std::size_t name_max(const fs::path& path) {
  std::error_code ec;
  fs::path dir = fs::absolute(path, ec).parent_path();
  while (!dir.empty() && !fs::is_directory(dir, ec) && dir != dir.root_path()) dir = dir.parent_path();
  const long limit = ::pathconf(dir.empty() ? "." : dir.c_str(), _PC_NAME_MAX);
  return limit > 0 ? static_cast<std::size_t>(limit) : NAME_MAX;
}

// Names longer than the file system allows fail only when written, after the training: checked here up front.
void check_name_lengths(const fs::path& target, const std::string& what) {
  const std::size_t limit = name_max(target);
  for (auto part = target.begin(); part != target.end(); ++part) {
    const std::string name = part->string();
    const bool last = std::next(part) == target.end();
    const std::size_t allowed = last ? limit - kHiddenNameExtra : limit;
    // The name is shown cut short: the whole of it would fill the terminal.
    check(name.size() <= allowed, what, ": cannot write there: the name ", descent::quoted(name.substr(0, 24)),
          "... is ", name.size(), " bytes long; the file system allows ", limit,
          last ? str(", and descent first writes a hidden file beside it under a name up to ", kHiddenNameExtra,
                     " bytes longer, so at most ", allowed)
               : "",
          ". Expected a shorter name.");
  }
}

// True when both paths name one file: equivalent() for existing files (hard links and symlinks included), else the
// same weakly canonical path.
bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec) && !ec;
  const fs::path ca = fs::weakly_canonical(fs::absolute(a, ec), ec), cb = fs::weakly_canonical(fs::absolute(b, ec), ec);
  return ca == cb;
}

// True when `path` lies strictly inside the directory `dir` (after resolving symlinks in both).
bool inside(const fs::path& path, const fs::path& dir) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  const fs::path d = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  auto pi = p.begin();
  for (auto di = d.begin(); di != d.end(); ++di, ++pi) {
    if (di->empty()) continue;  // a trailing separator
    if (pi == p.end() || *pi != *di) return false;
  }
  return pi != p.end() && !pi->empty();
}

}  // namespace

std::string read_file(const std::string& path) {
  std::error_code ec;
  check(fs::exists(path, ec), path, ": no such file.");
  check(!fs::is_directory(path, ec), path, ": is a directory; expected a file.");
  return read_regular_file(path, kMaxJsonFileBytes, "reading");  // no device, FIFO, or file beyond 1 GiB
}

bool is_saved_model_file(const std::string& name) {
  return name == "model.json" || name == "descent.json" || (name.size() > 4 && name.ends_with(".bin"));
}

void check_input_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  check(!path.empty(), what, ": expected a file name; received \"\".");
  check(!fs::is_directory(path, ec), what, ": ", path, " is a directory; expected a file.");
  // A trailing separator on a file ("data.csv/") fails with ENOTDIR when opened; say so here.
  check(!(path.ends_with('/') && fs::exists(normalized_path(path), ec)), what, ": ", path,
        " ends in '/', but ", normalized_path(path).string(), " is a file, not a directory; expected a file name.");
}

void check_output_path(const std::string& path, const std::string& what) {
  std::error_code ec;
  const fs::path target = normalized_path(path);
  check(!target.empty() && target != ".", what, ": expected a file name; received \"", path, "\".");
  check_name_lengths(target, what);
  check(!fs::is_directory(target, ec), what, ": ", path, " is a directory; expected a file name.");
  const fs::path parent = parent_directory(target);
  check(fs::is_directory(parent, ec), what, ": cannot write ", path, ": ", parent.string(),
        fs::exists(parent, ec) ? " is not a directory." : " does not exist.");
  const bool writable = ::access(parent.c_str(), W_OK) == 0;
  const int error = errno;
  check(writable, what, ": cannot write ", path, ": the directory ", parent.string(), " is not writable (",
        errno_text(error), ").");
}

void check_output_dir(const std::string& dir) {
  std::error_code ec;
  const fs::path target = normalized_path(dir);
  check(!target.empty(), "--out: expected a directory path; received \"", dir, "\".");
  check_name_lengths(target, "--out");
  const fs::path parent = parent_directory(target);
  check(fs::is_directory(parent, ec), "--out: cannot write ", dir, ": the parent directory ", parent.string(),
        fs::exists(parent, ec) ? " is not a directory." : " does not exist.");
  const bool writable = ::access(parent.c_str(), W_OK) == 0;
  const int error = errno;
  check(writable, "--out: cannot write ", dir, ": the directory ", parent.string(), " is not writable (",
        errno_text(error), ").");
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

void check_no_clashes(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs) {
  std::error_code ec;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const NamedPath& out = outputs[i];
    const fs::path o = normalized_path(out.path);
    // A directory replaced whole takes the files in it along; a hard link from elsewhere to one of them counts too.
    std::vector<fs::path> replaced = {o};
    if (out.directory && fs::is_directory(o, ec))
      for (const auto& entry : fs::directory_iterator(o, ec)) replaced.push_back(entry.path());
    auto clash = [&](const NamedPath& other, bool is_input) {
      const fs::path p = normalized_path(other.path);
      for (const fs::path& r : replaced)
        if (same_file(r, p))
          fail(str(out.option, ": ", r == o ? out.path : r.string(), " is the same file as ", other.option, " ",
                   other.path, "; ",
                   is_input ? "descent never writes over its inputs" : "two outputs cannot share one file",
                   ". Expected another path for ", out.option, "."));
      if (out.directory && inside(p, o))
        fail(str(other.option, ": ", other.path, " lies inside the ", out.option, " directory ", out.path,
                 ", which is replaced whole. Expected ", is_input ? "another directory for " + out.option
                                                                  : "a path outside it for " + other.option, "."));
      if (other.directory && inside(o, p))
        fail(str(out.option, ": ", out.path, " lies inside the ", other.option, " directory ", other.path,
                 is_input ? ", an input" : ", which is replaced whole", ". Expected a path outside it."));
    };
    for (const NamedPath& in : inputs) clash(in, true);
    for (std::size_t j = i + 1; j < outputs.size(); ++j) clash(outputs[j], false);
  }
}

std::vector<NamedPath> model_directory_files(const std::string& dir, const std::string& option) {
  std::vector<NamedPath> files;
  std::error_code ec;
  fs::path d = normalized_path(dir);
  if (d.filename() == "model.json" && fs::is_regular_file(d, ec)) d = parent_directory(d);  // as load_model_dir
  for (const char* name : {"model.json", "weights.bin", "descent.json"})
    files.push_back({str(option, " (", name, ")"), (d / name).string()});
  if (fs::is_directory(d, ec))
    for (const auto& entry : fs::directory_iterator(d, ec)) {
      // Other weight shards count too; files that are not the model's (say, earlier predictions) do not.
      const std::string name = entry.path().filename().string();
      if (is_saved_model_file(name) && name != "model.json" && name != "weights.bin" && name != "descent.json")
        files.push_back({str(option, " (", name, ")"), entry.path().string()});
    }
  return files;
}

TemporaryFile::TemporaryFile(const std::string& suffix) {
  std::string pattern = (fs::temp_directory_path() / "descent-XXXXXX").string() + suffix;
  const int fd = ::mkstemps(pattern.data(), static_cast<int>(suffix.size()));
  const int error = errno;
  check(fd >= 0, "cannot create a temporary file in ", fs::temp_directory_path().string(), ": ", errno_text(error),
        ".");
  ::close(fd);
  path_ = pattern;
}

TemporaryFile::~TemporaryFile() {
  std::error_code ec;
  fs::remove(path_, ec);
}

}  // namespace descent::cli
