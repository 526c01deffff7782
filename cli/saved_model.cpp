// Saving and loading the model directory; the checks name what a wrong path holds.
#include "saved_model.hpp"

#include "files.hpp"

#include <descent/core/error.hpp>
#include <descent/saving/saving.hpp>

#include <filesystem>

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
  if (dir.filename() == "model.json" && fs::is_regular_file(dir, ec)) dir = dir.parent_path().empty() ? "." : dir.parent_path();
  check(fs::exists(dir, ec), path, ": no such directory; expected a model directory written by descent fit.");
  check(fs::is_directory(dir, ec), path, " is a file, not a saved model; expected a directory written by descent fit ",
        "(model.json, weights.bin, descent.json).");
  const bool has_model = fs::is_regular_file(dir / "model.json", ec);
  const bool has_prep = fs::is_regular_file(dir / "descent.json", ec);
  if (!has_model) {
    std::string held;
    int count = 0;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (++count > 8) {
        held += ", ...";
        break;
      }
      held += str(held.empty() ? "" : ", ", entry.path().filename().string());
    }
    fail(str(path, " is not a model saved by descent fit: expected model.json, weights.bin and descent.json; ",
             held.empty() ? std::string("the directory is empty") : "it holds " + held, "."));
  }
  nn::Sequential model = nn::load_model(dir.string());
  // A model saved by the API (model.save) has no descent.json: no preprocessing was used.
  if (!has_prep) {
    check(!fs::exists(fs::symlink_status(dir / "descent.json", ec)), (dir / "descent.json").string(),
          ": not a regular file; expected the file descent fit writes, or none (a model saved by the API).");
    Preprocessing prep = inferred_preprocessing(model);
    return {std::move(model), std::move(prep)};
  }
  const std::string source = (dir / "descent.json").string();
  Preprocessing prep = Preprocessing::from_json(read_file(source), source);
  prep.check_matches(model, source);
  return {std::move(model), std::move(prep)};
}

}  // namespace descent::cli
