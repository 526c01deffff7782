// Saving and loading the model directory; the checks name what a wrong path holds.
#include "saved_model.hpp"

#include "files.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/core/text.hpp>
#include <descent/saving/saving.hpp>

#include <cerrno>
#include <filesystem>
#include <optional>

#include <fcntl.h>
#include <sys/stat.h>

namespace descent::cli {
namespace fs = std::filesystem;

void save_model_dir(const nn::Sequential& model, const Preprocessing& prep, const std::string& dir) {
  replace_model_directory(dir, [&](const std::string& staging) {
    model.save(staging);
    write_file_synced((fs::path(staging) / "descent.json").string(), prep.to_json());
  });
}

bool looks_like_model_dir(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec) || fs::path(path).filename() == "model.json";
}

SavedModel load_model_dir(const std::string& path) {
  std::error_code ec;
  fs::path dir = path;
  if (dir.filename() == "model.json" && fs::is_regular_file(dir, ec)) dir = parent_directory(dir);
  check(!fs::exists(dir, ec) || fs::is_directory(dir, ec), path, " is a file, not a saved model; expected a ",
        "directory written by descent fit (model.json, weights.bin, descent.json).");
  // model.json, its weights and descent.json are read from one directory descriptor, so that a fit --out saving
  // meanwhile cannot pair one save's model with another's preprocessing (read_directory).
  std::optional<SavedModel> saved;
  read_directory(dir.string(), [&](int dir_fd, const std::string& shown) {
    struct stat info {};
    if (::fstatat(dir_fd, "model.json", &info, 0) != 0) {
      std::string held;
      int count = 0;
      for (const auto& entry : fs::directory_iterator(shown, ec)) {
        if (++count > 8) {
          held += ", ...";
          break;
        }
        held += str(held.empty() ? "" : ", ", descent::quoted(entry.path().filename().string()));
      }
      fail(str(path, " is not a model saved by descent fit: expected model.json, weights.bin and descent.json; ",
               held.empty() ? std::string("the directory is empty") : "it holds " + held, "."));
    }
    nn::Sequential model = nn::load_model_at(dir_fd, shown);
    const std::string source = (fs::path(shown) / "descent.json").string();
    // A model saved by the API (model.save) has no descent.json: no preprocessing was used.
    if (::fstatat(dir_fd, "descent.json", &info, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT) {
      Preprocessing prep = inferred_preprocessing(model);
      saved.emplace(SavedModel{std::move(model), std::move(prep)});
      return;
    }
    Preprocessing prep = Preprocessing::from_json(
        read_regular_file_at(dir_fd, "descent.json", source, kMaxJsonFileBytes, "preprocessing"), source);
    prep.check_matches(model, source);
    saved.emplace(SavedModel{std::move(model), std::move(prep)});
  }, "a model directory written by descent fit");
  return std::move(*saved);
}

}  // namespace descent::cli
