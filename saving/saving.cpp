// TF.js layers-model files (docs/FORMATS.md b): atomic writing, all-or-nothing reading, optimizer state as TF.js keeps it.
#include "saving.hpp"

#include "model_json.hpp"

#include <descent/core/config.hpp>
#include <descent/core/files.hpp>
#include <descent/optim/optimizer.hpp>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include <sys/stat.h>

namespace descent::nn {
namespace {

namespace fs = std::filesystem;


// ---------------------------------------------------------------------------------------------------------------
// Writing

// Little-endian, row-major weight data and the manifest entries describing it.
struct WeightsBlob {
  json specs = json::array();
  std::string bytes;

  void add(const std::string& name, json shape, const float* values, std::size_t count, bool optimizer) {
    // load_model refuses non-finite values, so saving them would write a file its own loader rejects.
    for (std::size_t i = 0; i < count; ++i)
      check(std::isfinite(values[i]), "weight '", name, "' holds ", values[i], " at element ", i,
            " (row-major), and load_model refuses non-finite weights; nothing was written. A model whose training ",
            "diverged has no weights worth keeping.");
    json spec = {{"name", name}, {"shape", std::move(shape)}, {"dtype", "float32"}};
    if (optimizer) spec["group"] = "optimizer";
    specs.push_back(std::move(spec));
    for (std::size_t i = 0; i < count; ++i) {
      std::uint32_t u;
      std::memcpy(&u, &values[i], 4);
      for (int b = 0; b < 4; ++b) bytes.push_back(static_cast<char>((u >> (8 * b)) & 0xff));
    }
  }
  // A weight (or an optimizer slot of it) under its full Keras shape.
  void add(const std::string& name, const Matrix& m, const Shape& shape, bool optimizer) {
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> f = m.cast<float>();
    add(name, json(shape.dims()), f.data(), static_cast<std::size_t>(f.size()), optimizer);
  }
  void add_int32_scalar(const std::string& name, std::int32_t value) {
    specs.push_back({{"name", name}, {"shape", json::array()}, {"dtype", "int32"}, {"group", "optimizer"}});
    auto u = static_cast<std::uint32_t>(value);
    for (int b = 0; b < 4; ++b) bytes.push_back(static_cast<char>((u >> (8 * b)) & 0xff));
  }
};

std::string weight_name(const Layer& layer, const Param& p) { return layer.name() + "/" + p.name; }

// Every weight of the model, "<layer>/<weight>", in layer order; per layer trainable, then non-trainable.
std::vector<std::pair<std::string, Param*>> named_weights(Model& model) {
  std::vector<std::pair<std::string, Param*>> out;
  for (std::size_t i = 0; i < model.size(); ++i)
    for (Param* p : model.layer(i).weights()) out.emplace_back(weight_name(model.layer(i), *p), p);
  return out;
}

// The weights the optimizer steps, in the order its slots follow.
std::vector<std::pair<std::string, Param*>> named_trainable_weights(Model& model) {
  std::vector<std::pair<std::string, Param*>> out;
  for (std::size_t i = 0; i < model.size(); ++i)
    if (model.layer(i).trainable())
      for (Param* p : model.layer(i).params()) out.emplace_back(weight_name(model.layer(i), *p), p);
  return out;
}

void add_model_weights(Model& model, WeightsBlob& blob) {
  for (const auto& [name, p] : named_weights(model)) blob.add(name, p->value, p->shape, false);
}

// TF.js's layout (docs/FORMATS.md b): "iter" (int32 scalar), then per slot name, per trainable weight, "<w>/<slot>".
// SGD's velocity v is written as TF.js's accumulator a = -v/lr so TF.js resumes correctly; float32 a does not always
// map back to the same v, so the exact v follows as "<w>/velocity" entries, which TF.js's Momentum carries along
// unused.
void add_optimizer_weights(Model& model, WeightsBlob& blob) {
  optim::Optimizer& optimizer = model.optimizer();
  const auto params = named_trainable_weights(model);
  const auto iterations = std::min<std::int64_t>(optimizer.iterations(), std::numeric_limits<std::int32_t>::max());
  blob.add_int32_scalar("iter", static_cast<std::int32_t>(iterations));
  const auto slots = optimizer.slot_names();
  bool stepped = !params.empty() && optimizer.slotted_params() >= params.size();
  for (std::size_t k = 0; stepped && k < slots.size(); ++k)
    for (std::size_t i = 0; i < params.size(); ++i)
      if (optimizer.slot(i, k).size() != params[i].second->value.size()) stepped = false;
  if (!stepped) return;  // no slots before the first step, as in TF.js
  const double lr = optimizer.learning_rate();
  for (std::size_t k = 0; k < slots.size(); ++k)
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto& [name, p] = params[i];
      Matrix value = optimizer.slot(i, k);
      if (optimizer.slot_is_velocity(k)) value = (-value.cast<double>() / lr).cast<Scalar>();
      blob.add(name + "/" + slots[k], value, p->shape, true);
    }
  for (std::size_t k = 0; k < slots.size(); ++k)
    if (optimizer.slot_is_velocity(k))
      for (std::size_t i = 0; i < params.size(); ++i)
        blob.add(params[i].first + "/velocity", optimizer.slot(i, k), params[i].second->shape, true);
}

// Replaces directory `path` with one holding exactly `files`, all or nothing (descent::replace_directory). A
// directory holding anything but files named in `owned` is left alone.
void write_directory_atomically(const std::string& path, const std::vector<std::pair<std::string, std::string>>& files,
                                const std::function<bool(const std::string&)>& owned, const std::string& where) {
  const fs::path target = normalized_path(path);
  check(!target.empty(), where, ": expected a directory path; received \"", path, "\".");
  const fs::path parent = parent_directory(target);
  struct stat info {};
  const int error = ::stat(parent.c_str(), &info) != 0 ? errno : S_ISDIR(info.st_mode) ? 0 : ENOTDIR;
  check(error == 0, where, ": cannot write ", target.string(), ": the parent directory ", parent.string(), ": ",
        std::strerror(error), ".");
  std::error_code ec;
  if (fs::exists(target, ec)) {
    check(fs::is_directory(target, ec), where, ": ", target.string(), " exists and is not a directory.");
    std::string foreign;
    for (const auto& entry : fs::directory_iterator(target, ec))
      if (!entry.is_regular_file() || !owned(entry.path().filename().string()))
        foreign += str(foreign.empty() ? "" : ", ", entry.path().filename().string());
    check(foreign.empty(), where, ": refusing to replace ", target.string(), ", which holds files a save did not ",
          "write (", foreign, "). Expected a new directory or one written by save; choose another path.");
  }
  replace_directory(path, [&](const std::string& staging) {
    if (::mkdir(staging.c_str(), 0777) != 0) {
      const int mkdir_error = errno;
      fail(str(where, ": cannot create ", staging, ": ", std::strerror(mkdir_error), "."));
    }
    for (const auto& [name, bytes] : files) write_file_synced((fs::path(staging) / name).string(), bytes);
  }, where);
}

bool is_bin(const std::string& name) { return name.size() > 4 && name.substr(name.size() - 4) == ".bin"; }

// ---------------------------------------------------------------------------------------------------------------
// Reading

struct SavedWeight {
  std::string name;
  std::vector<std::int64_t> shape;
  std::vector<double> values;
  bool optimizer = false;
  std::string place;  // "<file>: weight 'name' (bytes a-b)" for messages
};

double half_to_double(std::uint16_t h) {
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  const double sign = (h & 0x8000) ? -1.0 : 1.0;
  if (exponent == 0) return sign * std::ldexp(mantissa, -24);
  if (exponent == 31) return mantissa ? std::numeric_limits<double>::quiet_NaN() : sign * INFINITY;
  return sign * std::ldexp(mantissa + 1024, exponent - 25);
}

std::uint64_t read_le(const std::string& bytes, std::size_t offset, int width) {
  std::uint64_t v = 0;
  for (int b = 0; b < width; ++b)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[offset + static_cast<std::size_t>(b)])) << (8 * b);
  return v;
}

// Reads one shard: `name` as the manifest lists it, `where` its JSON path, `budget` the bytes the manifest still
// describes, so nothing larger is ever read.
using ShardReader =
    std::function<std::string(const std::string& name, const std::string& where, std::uint64_t budget)>;

// A manifest entry before its bytes are read: what the stream must hold for it.
struct WeightLayout {
  SavedWeight weight;  // name, shape and group; values come later
  std::string stored;  // dtype of the bytes: float32, int32, bool, or a quantization's uint8, uint16, float16
  double scale = 1.0, minimum = 0.0;
  std::uint64_t count = 1;
  int width = 0;
  std::string shape_text;
};

// Bytes a whole stream may hold: far beyond any real model, and small enough that sums cannot overflow.
constexpr std::uint64_t kMaxStreamBytes = std::uint64_t{1} << 48;

WeightLayout read_layout(const json& entry, const std::string& path) {
  ConfigReader spec(entry, path);
  WeightLayout layout;
  SavedWeight& weight = layout.weight;
  spec.read("name", weight.name);
  check(!weight.name.empty(), spec.path("name"), ": expected the weight's name.");
  std::string dtype;
  spec.read("dtype", dtype);
  std::string group_name;
  spec.read("group", group_name);
  weight.optimizer = group_name == "optimizer";
  const json* shape = spec.find("shape");
  check(shape && shape->is_array(), spec.path("shape"), ": expected a list of sizes; received ",
        shape ? describe(*shape) : std::string("nothing"), ".");
  layout.shape_text = shape->dump();
  for (const json& d : *shape) {
    check(d.is_number_integer() && d.get<long long>() >= 0, spec.path("shape"),
          ": expected non-negative integer sizes; received ", layout.shape_text, ".");
    auto n = static_cast<std::uint64_t>(d.get<long long>());
    check(n == 0 || layout.count <= kMaxStreamBytes / n, spec.path("shape"), ": weight '", weight.name,
          "' of shape ", layout.shape_text, " is larger than any weight file (2^48 bytes).");
    layout.count *= n;
    weight.shape.push_back(static_cast<std::int64_t>(n));
  }
  layout.stored = dtype;
  if (const json* q = spec.find("quantization")) {
    ConfigReader quant(*q, spec.path("quantization"));
    quant.read("dtype", layout.stored);
    quant.read("scale", layout.scale);
    quant.read("min", layout.minimum);
    quant.ignore({"original_dtype"});
    quant.finish();
    check(layout.stored == "uint8" || layout.stored == "uint16" || layout.stored == "float16", quant.path("dtype"),
          ": expected uint8, uint16 or float16; received \"", layout.stored, "\".");
  }
  spec.finish();
  const std::string& stored = layout.stored;
  if (stored == "float32" || stored == "int32") layout.width = 4;
  else if (stored == "uint16" || stored == "float16") layout.width = 2;
  else if (stored == "uint8" || stored == "bool") layout.width = 1;
  else fail(str(spec.path("dtype"), ": expected float32, int32 or bool; received \"", dtype, "\"."));
  check(layout.count <= kMaxStreamBytes / 4, spec.path("shape"), ": weight '", weight.name, "' of shape ",
        layout.shape_text, " is larger than any weight file (2^48 bytes).");
  return layout;
}

double decode_value(const WeightLayout& layout, std::uint64_t raw) {
  if (layout.stored == "float32") {
    auto u = static_cast<std::uint32_t>(raw);
    float f;
    std::memcpy(&f, &u, 4);
    return f;
  }
  if (layout.stored == "int32") return static_cast<std::int32_t>(static_cast<std::uint32_t>(raw));
  if (layout.stored == "float16") return half_to_double(static_cast<std::uint16_t>(raw));
  if (layout.stored == "bool") return raw != 0;
  return static_cast<double>(raw) * layout.scale + layout.minimum;
}

// Decodes every weight of a weightsManifest (docs/FORMATS.md b): each group's files concatenated in order, weights
// back to back in spec order, the stream exactly as long as the specs say. The specs are read first, so each file
// is read only if it fits in the bytes they describe. `folder` is prepended to file names in messages.
std::vector<SavedWeight> decode_manifest(const json& manifest, const ShardReader& read_shard, const std::string& source,
                                         const std::string& folder) {
  check(manifest.is_array(), source, ": weightsManifest: expected a list of groups; received ", describe(manifest), ".");
  std::vector<SavedWeight> weights;
  for (std::size_t g = 0; g < manifest.size(); ++g) {
    const std::string group_path = str("weightsManifest[", g, "]");
    ConfigReader group(manifest[g], str(source, ": ", group_path));
    const json* paths = group.find("paths");
    const json* specs = group.find("weights");
    group.finish();
    check(paths && paths->is_array(), group.path("paths"), ": expected a list of file names; received ",
          paths ? describe(*paths) : std::string("nothing"), ".");
    check(specs && specs->is_array(), group.path("weights"), ": expected a list of weights; received ",
          specs ? describe(*specs) : std::string("nothing"), ".");
    std::vector<WeightLayout> layouts;
    std::uint64_t described = 0;
    for (std::size_t w = 0; w < specs->size(); ++w) {
      layouts.push_back(read_layout((*specs)[w], str(group.path("weights"), "[", w, "]")));
      described += layouts.back().count * static_cast<std::uint64_t>(layouts.back().width);
      check(described <= kMaxStreamBytes, group.path("weights"), ": the weights need more than 2^48 bytes.");
    }
    std::string stream;
    std::vector<std::pair<std::size_t, std::string>> starts;  // where each file begins in the stream
    for (std::size_t f = 0; f < paths->size(); ++f) {
      const json& p = (*paths)[f];
      const std::string where = str(group.path("paths"), "[", f, "]");
      check(p.is_string(), where, ": expected a file name; received ", describe(p), ".");
      starts.emplace_back(stream.size(), folder + p.get<std::string>());
      stream += read_shard(p.get<std::string>(), where, described - stream.size());
    }
    auto file_at = [&](std::size_t offset) {
      std::string name = starts.empty() ? std::string("(no file)") : starts.front().second;
      for (const auto& [start, file] : starts)
        if (start <= offset) name = file;
      return name;
    };
    std::size_t offset = 0;
    for (WeightLayout& layout : layouts) {
      SavedWeight& weight = layout.weight;
      const auto width = static_cast<std::size_t>(layout.width);
      const auto bytes = static_cast<std::size_t>(layout.count) * width;
      check(bytes <= stream.size() - offset, file_at(offset), ": weight '", weight.name, "' of shape ",
            layout.shape_text, " needs ", bytes, " bytes from byte ", offset, ", but the files of ", group_path,
            " end at byte ", stream.size(), ". Expected files as long as their manifest says (a truncated or ",
            "missing shard?).");
      weight.place = str(file_at(offset), ": weight '", weight.name, "' (bytes ", offset, "-", offset + bytes, ")");
      weight.values.resize(static_cast<std::size_t>(layout.count));
      for (std::size_t i = 0; i < weight.values.size(); ++i, offset += width) {
        const double v = decode_value(layout, read_le(stream, offset, layout.width));
        check(std::isfinite(v), weight.place, ": non-finite value ", v, " at element ", i, ".");
        weight.values[i] = v;
      }
      weights.push_back(std::move(weight));
    }
  }
  return weights;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::ostringstream s;
  s << "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
  s << "]";
  return s.str();
}

Matrix to_matrix(const SavedWeight& w, Index rows, Index cols) {
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<Scalar>(w.values[static_cast<std::size_t>(i)]);
  return m;
}

// Checks the weight has the parameter's full Keras shape and returns its values.
Matrix matching(const SavedWeight& w, const Param& p, const std::string& what) {
  const std::vector<std::int64_t> expected(p.shape.dims().begin(), p.shape.dims().end());
  check(w.shape == expected, w.place, ": shape ", shape_text(w.shape), " disagrees with the model's ", what, ". ",
        "Expected ", shape_text(expected), ".");
  return to_matrix(w, p.value.rows(), p.value.cols());
}

// Sets the model's weights (and, with `with_optimizer`, the optimizer's state) from decoded weights, matched by
// name. Everything is checked before anything is set.
void apply_weights(Model& model, std::vector<SavedWeight>& saved, bool with_optimizer, const std::string& source) {
  std::map<std::string, const SavedWeight*> by_name;
  std::vector<const SavedWeight*> optimizer_state;
  for (SavedWeight& w : saved) {
    if (w.optimizer) {
      optimizer_state.push_back(&w);
      continue;
    }
    if (w.name.size() > 2 && w.name.compare(w.name.size() - 2, 2, ":0") == 0) w.name.resize(w.name.size() - 2);
    check(by_name.emplace(w.name, &w).second, w.place, ": a second weight with this name.");
  }
  if (!model.built()) {  // a topology without an input shape: the first kernel gives it
    const std::string first = model.size() ? str(model.layer(0).name(), "/kernel") : std::string();
    auto it = by_name.find(first);
    check(it != by_name.end() && it->second->shape.size() == 2 && it->second->shape[0] > 0, source,
          ": the model's input width is unknown: the topology has no input shape and there is no weight '", first,
          "' of shape [inputs, units].");
    model.build(static_cast<Index>(it->second->shape[0]));
  }
  const auto params = named_weights(model);
  std::vector<Matrix> values;
  std::string missing;
  for (const auto& [name, p] : params) {
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      missing += str(missing.empty() ? "" : ", ", name);
      continue;
    }
    values.push_back(matching(*it->second, *p, str("'", name, "'")));
    by_name.erase(it);
  }
  check(missing.empty(), source, ": no saved weight for ", missing, ". Weights are matched by name ",
        "\"<layer>/<weight>\"; renaming a layer breaks the match.");
  if (!by_name.empty())
    fail(str(by_name.begin()->second->place, ": matches no weight of the model. Expected names such as '",
             params.empty() ? std::string("dense/kernel") : params.front().first, "'."));

  // Optimizer state, by position as TF.js's setWeights reads it: "iter", then per slot name, per weight in model
  // order. TF.js's names carry variable suffixes ("h/kernel_3/momentum"), so they cannot be matched. SGD's exact
  // velocities, when present, follow as "<w>/velocity".
  std::int64_t iterations = -1;
  std::vector<std::vector<Matrix>> slots;
  const bool restore = with_optimizer && model.compiled() && !optimizer_state.empty();
  if (restore) {
    optim::Optimizer& optimizer = model.optimizer();
    std::size_t next = 0;
    if (optimizer_state[0]->name == "iter") {
      const SavedWeight& iter = *optimizer_state[0];
      check(iter.shape.empty() && iter.values.size() == 1 && iter.values[0] >= 0, iter.place,
            ": expected a non-negative scalar step count.");
      iterations = static_cast<std::int64_t>(iter.values[0]);
      next = 1;
    }
    std::vector<const SavedWeight*> state, velocities;
    for (std::size_t i = next; i < optimizer_state.size(); ++i) {
      const std::string& name = optimizer_state[i]->name;
      const bool velocity = name.size() > 9 && name.compare(name.size() - 9, 9, "/velocity") == 0;
      (velocity ? velocities : state).push_back(optimizer_state[i]);
    }
    const auto names = optimizer.slot_names();
    const auto trainable = named_trainable_weights(model);
    const std::size_t n = trainable.size();
    check(state.empty() || state.size() == names.size() * n, source, ": the optimizer state holds ", state.size(),
          " slot values, but ", optimizer.class_name(), " keeps ", names.size(), " per weight (", names.size() * n,
          " for this model). Expected the state of the optimizer the model is compiled with.");
    const bool converts = !names.empty() && optimizer.slot_is_velocity(0);
    if (!velocities.empty())
      check(converts && velocities.size() == n && !state.empty(), velocities[0]->place,
            ": unexpected velocity entry. Expected one per weight after SGD's momentum slots.");
    const double lr = optimizer.learning_rate();
    for (std::size_t k = 0; k < names.size() && !state.empty(); ++k) {
      std::vector<Matrix> slot;
      for (std::size_t i = 0; i < n; ++i) {
        const std::string what = str("'", trainable[i].first, "' (optimizer slot '", names[k], "')");
        Matrix value = matching(*state[k * n + i], *trainable[i].second, what);
        if (converts && k == 0) {
          Matrix velocity = (-value.cast<double>() * lr).cast<Scalar>();
          if (!velocities.empty()) {
            Matrix exact = matching(*velocities[i], *trainable[i].second, what);
            // The exact velocity counts only while it agrees with the accumulator: TF.js trains the accumulator
            // and carries the velocity along unchanged.
            Matrix back = (-exact.cast<double>() / lr).cast<Scalar>();
            if (back == value) velocity = exact;
          }
          value = velocity;
        }
        slot.push_back(std::move(value));
      }
      slots.push_back(std::move(slot));
    }
  }

  model.set_weights(values);
  if (restore) {
    optim::Optimizer& optimizer = model.optimizer();
    optimizer.reset();
    if (iterations >= 0) optimizer.set_iterations(iterations);
    for (std::size_t k = 0; k < slots.size(); ++k)
      for (std::size_t i = 0; i < slots[k].size(); ++i) optimizer.slot(i, k) = slots[k][i];
  }
}

std::string folder_of(const fs::path& file) {
  return file.parent_path().empty() ? std::string() : (file.parent_path() / "").string();
}

// A shard longer than the bytes its manifest still describes is refused (in the words of read_regular_file).
void check_fits(const std::string& shown, const std::string& where, std::uint64_t size, std::uint64_t budget) {
  check(size <= budget, shown, " (", where, "): holds ", size, " bytes, ", size - budget, " more than the ", budget,
        " expected.");
}

// Shard paths are relative to model.json and stay inside its directory: no absolute paths, no "..", no symlink
// resolving outside it (checked on the path `dir`), only regular files (read_regular_file). Files are opened
// relative to `dir_fd`, the directory model.json came from, so every shard is of the same save. A file listed twice
// is read once.
ShardReader directory_reader(int dir_fd, const fs::path& dir) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(dir.empty() ? fs::path(".") : dir, ec);
  auto cache = std::make_shared<std::map<fs::path, std::string>>();
  return [dir_fd, dir, root, cache](const std::string& name, const std::string& where, std::uint64_t budget) {
    fs::path p(name);
    bool inside = !p.empty() && p.is_relative();
    for (const auto& part : p) inside = inside && part != "..";
    check(inside, where, ": expected a file name relative to model.json; received \"", name, "\".");
    const fs::path shown = dir / p;
    std::error_code ec;
    const fs::path resolved = fs::canonical(shown, ec);
    check(!ec, shown.string(), ": cannot open (", where, "): ", ec.message(), ". A missing shard?");
    const fs::path relative = resolved.lexically_relative(root);
    check(!relative.empty() && *relative.begin() != "..", shown.string(), " (", where, "): resolves to ",
          resolved.string(), ", outside the model's directory ", root.string(), ". Expected shards inside it.");
    auto cached = cache->find(resolved);
    if (cached == cache->end()) {
      cached = cache->emplace(resolved, read_regular_file_at(dir_fd, relative, shown, budget, where)).first;
    }
    check_fits(shown.string(), where, cached->second.size(), budget);
    return cached->second;
  };
}

// What Descent keeps beside the TF.js fields, under userDefinedMetadata (which TF.js carries along unread): the
// model's seed and the state of each noise layer's generator, by layer name.
json descent_metadata(const Model& model) {
  json generators = json::object();
  for (std::size_t i = 0; i < model.size(); ++i)
    if (std::string state = model.layer(i).generator_state(); !state.empty()) generators[model.layer(i).name()] = state;
  return {{"seed", model.seed()}, {"generators", std::move(generators)}};
}

void apply_descent_metadata(Model& model, const json& root, const std::string& source) {
  const auto meta = root.find("userDefinedMetadata");
  if (meta == root.end() || !meta->is_object() || !meta->contains("descent")) return;  // TF.js's own, or none
  ConfigReader r((*meta)["descent"], source + ": userDefinedMetadata.descent");
  // Any 64-bit seed: more than ConfigReader's seeds (Keras's are small), so read here.
  const json* seed = r.find("seed");
  const json* generators = r.find("generators");
  r.finish();
  if (seed) {
    check_at(seed->is_number_unsigned(), r.path("seed"), "expected a non-negative integer; received ",
             describe(*seed), ".");
    model.set_seed(seed->get<std::uint64_t>());
  }
  if (!generators) return;
  check_at(generators->is_object(), r.path("generators"), "expected an object of layer names; received ",
           describe(*generators), ".");
  for (const auto& item : generators->items()) {
    const std::string& name = item.key();
    const json& state = item.value();  // a plain reference: clang 14 lets no lambda capture a structured binding
    const std::string where = r.path("generators") + "." + name;
    check_at(state.is_string(), where, "expected the generator's state as text; received ", describe(state), ".");
    within(where, [&] { model.layer(name).set_generator_state(state.get<std::string>()); });
  }
}

// Calls `read` on a saved model's directory as one save (read_directory). `path` names the directory, or a file in
// it that then starts the read instead of the one `pick` chooses; `read` gets the directory's descriptor and the
// starting file as messages show it. A missing path is taken for a directory that a cut-short save may have left
// under a hidden name.
void read_saved(const std::string& path, const std::function<std::string(int dir_fd)>& pick,
                const std::function<void(int dir_fd, const fs::path& file)>& read, const std::string& what) {
  std::error_code ec;
  const fs::path given(path);
  // One look at the path: between two, a concurrent save without locks may take the directory away.
  const fs::file_type type = fs::status(given, ec).type();
  const bool names_file = type == fs::file_type::not_found ? given.filename() == "model.json"
                                                           : type != fs::file_type::directory;
  const std::string dir = names_file ? parent_directory(given).string() : path;
  read_directory(dir, [&](int dir_fd, const std::string& shown) {
    const fs::path name = names_file ? given.filename() : fs::path(pick(dir_fd));
    read(dir_fd, shown == dir ? (names_file ? given : given / name) : fs::path(shown) / name);
  }, what);
}

Model load(const std::string& text, const ShardReader& read_shard, const std::string& source,
                const std::string& folder, LoadOptions options);

// load_model on an open directory: `file` is the model.json to start from, as messages show it.
Model load_from(int dir_fd, const fs::path& file, LoadOptions options) {
  return load(read_regular_file_at(dir_fd, file.filename(), file, kMaxJsonFileBytes, "load_model"),
              directory_reader(dir_fd, file.parent_path()), file.string(), folder_of(file), options);
}

Model load(const std::string& text, const ShardReader& read_shard, const std::string& source,
                const std::string& folder, LoadOptions options) {
  json root = parse_json(text, source);
  Model model = model_from_config(root, source, options.compile);
  check(root.contains("weightsManifest"), source, ": weightsManifest: missing. Expected a TF.js model.json ",
        "with weights; for a config alone use model_from_json.");
  auto weights = decode_manifest(root["weightsManifest"], read_shard, source, folder);
  apply_weights(model, weights, options.compile, source);
  apply_descent_metadata(model, root, source);
  return model;
}

}  // namespace

void fail_saves_after_bytes_for_testing(std::int64_t bytes) { fail_writes_after_bytes_for_testing(bytes); }

void Model::save(const std::string& path, SaveOptions options) const {
  Model& self = const_cast<Model&>(*this);
  if (!built_ && !input_shape_.empty()) self.build(input_shape_);  // an Input declares the width, as Keras builds on it
  check(built_, "save: the model is not built; add an Input or call build(input_dim) first.");
  const std::string where = str("save(\"", path, "\")");
  WeightsBlob blob;
  within(where, [&] {
    add_model_weights(self, blob);
    if (options.include_optimizer && compiled()) add_optimizer_weights(self, blob);
  });
  json model_json = {{"modelTopology", model_topology(*this, Dialect::tfjs)},
                     {"weightsManifest", json::array({{{"paths", {"weights.bin"}}, {"weights", blob.specs}}})},
                     {"format", "layers-model"},
                     {"generatedBy", "Descent v0.1.0"},
                     {"convertedBy", nullptr},
                     {"userDefinedMetadata", {{"descent", descent_metadata(*this)}}}};
  if (compiled()) model_json["trainingConfig"] = training_config(self, Dialect::tfjs);
  write_directory_atomically(path, {{"weights.bin", blob.bytes}, {"model.json", model_json.dump()}},
                             [](const std::string& name) { return name == "model.json" || is_bin(name); }, where);
}

void Model::save_weights(const std::string& path) const {
  if (!built_ && !input_shape_.empty()) const_cast<Model&>(*this).build(input_shape_);
  check(built_, "save_weights: the model is not built; add an Input or call build(input_dim) first.");
  const std::string where = str("save_weights(\"", path, "\")");
  WeightsBlob blob;
  within(where, [&] { add_model_weights(const_cast<Model&>(*this), blob); });
  json manifest = json::array({{{"paths", {"weights.bin"}}, {"weights", blob.specs}}});
  write_directory_atomically(path, {{"weights.bin", blob.bytes}, {"weights_manifest.json", manifest.dump()}},
                             [](const std::string& name) { return name == "weights_manifest.json" || is_bin(name); },
                             where);
}

void Model::load_weights(const std::string& path) {
  auto pick = [](int dir_fd) {
    struct stat info {};
    return std::string(::fstatat(dir_fd, "model.json", &info, 0) == 0 ? "model.json" : "weights_manifest.json");
  };
  read_saved(path, pick, [&](int dir_fd, const fs::path& file) {
    const std::string source = file.string();
    json root = parse_json(read_regular_file_at(dir_fd, file.filename(), file, kMaxJsonFileBytes, "load_weights"),
                           source);
    const json* manifest = &root;
    if (root.is_object()) {
      check(root.contains("weightsManifest"), source, ": weightsManifest: missing. Expected model.json or ",
            "weights_manifest.json.");
      manifest = &root["weightsManifest"];
    }
    auto weights = decode_manifest(*manifest, directory_reader(dir_fd, file.parent_path()), source, folder_of(file));
    apply_weights(*this, weights, false, source);
  }, "load_weights");
}

Model load_model(const std::string& path, LoadOptions options) {
  std::optional<Model> model;
  read_saved(path, [](int) { return std::string("model.json"); },
             [&](int dir_fd, const fs::path& file) { model = load_from(dir_fd, file, options); }, "load_model");
  return std::move(*model);
}

Model load_model_at(int dir_fd, const std::string& dir, LoadOptions options) {
  return load_from(dir_fd, fs::path(dir) / "model.json", options);
}

Model load_model_from_memory(const std::string& model_json, const std::map<std::string, std::string>& files,
                                  const std::string& source, LoadOptions options) {
  return load(model_json,
              [&files](const std::string& name, const std::string& where, std::uint64_t budget) {
                auto it = files.find(name);
                check(it != files.end(), where, ": missing shard \"", name, "\".");
                check_fits(name, where, it->second.size(), budget);
                return it->second;
              },
              source, "", options);
}

}  // namespace descent::nn
