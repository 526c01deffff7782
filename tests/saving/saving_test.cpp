// TF.js layers-model files: the byte layout, name matching, shards, quantization, bad files, atomic saving, and
// training resumed from a saved optimizer state.
#include <descent/core/files.hpp>
#include <descent/descent.hpp>
#include <descent/saving/model_json.hpp>
#include <descent/saving/saving.hpp>

#include <doctest/doctest.h>

#include "support/temp_dir.hpp"
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace descent;
using nlohmann::json;
namespace fs = std::filesystem;

// weights.bin holds float32, as TF.js reads it: in the double build a save rounds every weight, so the exact
// round-trip checks below hold only where Scalar is float.
constexpr bool kFloatBuild = std::is_same_v<descent::Scalar, float>;

namespace {


std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

// Little-endian float32 bytes, written independently of the library.
std::string le_floats(std::initializer_list<float> values) {
  std::string out;
  for (float f : values) {
    unsigned char b[4];
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    for (int i = 0; i < 4; ++i) b[i] = static_cast<unsigned char>(u >> (8 * i));
    out.append(reinterpret_cast<char*>(b), 4);
  }
  return out;
}

float le_float_at(const std::string& bytes, std::size_t index) {
  std::uint32_t u = 0;
  for (int i = 0; i < 4; ++i) u |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index * 4 + i])) << (8 * i);
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

nn::Sequential small_model(std::uint64_t seed = 42) {
  nn::Sequential model({.seed = seed});
  model.add(nn::Input(3));
  model.add(nn::Dense(4, {.activation = "tanh"}));
  model.add(nn::Dense(2, {.activation = "softmax"}));
  model.build(3);
  return model;
}

Dataset toy_data(Index n = 40) {
  Rng rng(5);
  Dataset d{Matrix(n, 3), Matrix::Zero(n, 2)};
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < 3; ++j) d.x(i, j) = static_cast<Scalar>(uniform01(rng) * 2 - 1);
    d.y(i, d.x(i, 0) + d.x(i, 1) > 0 ? 1 : 0) = 1;
  }
  return d;
}

// A model.json for 3 -> Dense(1) (docs/FORMATS.md b) with the given manifest.
std::string one_unit_model_json(const json& manifest) {
  json root = {{"modelTopology", json::parse(R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
                  {"class_name": "Dense", "config": {"name": "dense", "units": 1, "batch_input_shape": [null, 3]}}]}})")},
               {"weightsManifest", manifest},
               {"format", "layers-model"}};
  return root.dump();
}

json spec(const std::string& name, json shape, const std::string& dtype = "float32") {
  return {{"name", name}, {"shape", std::move(shape)}, {"dtype", dtype}};
}

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("save writes a TF.js layers-model: model.json and little-endian float32 weights.bin" * doctest::skip(!kFloatBuild)) {
  testing::TempDir tmp("saving");
  nn::Sequential model = small_model();
  model.compile("categorical_crossentropy", optim::SGD({.learning_rate = 0.1}), {"accuracy"});
  model.save(tmp / "model", {.include_optimizer = false});
  CHECK(entries(tmp.path / "model") == std::vector<std::string>{"model.json", "weights.bin"});

  json j = json::parse(read_bytes(tmp.path / "model" / "model.json"));
  CHECK(j["format"] == "layers-model");
  CHECK(j["convertedBy"].is_null());
  CHECK(j["modelTopology"]["config"]["layers"][0]["class_name"] == "InputLayer");
  CHECK(j["trainingConfig"]["loss"] == "categorical_crossentropy");
  CHECK(j["trainingConfig"]["optimizer_config"] ==
        json::parse(R"({"class_name": "SGD", "config": {"learningRate": 0.1}})"));
  json weights = j["weightsManifest"][0]["weights"];
  CHECK(j["weightsManifest"][0]["paths"] == json::parse(R"(["weights.bin"])"));
  REQUIRE(weights.size() == 4);
  CHECK(weights[0] == spec("dense/kernel", {3, 4}));
  CHECK(weights[1] == spec("dense/bias", {4}));
  CHECK(weights[2] == spec("dense_1/kernel", {4, 2}));
  CHECK(weights[3] == spec("dense_1/bias", {2}));

  // Row-major kernel (in, units), then the bias, as the manifest says.
  std::string bin = read_bytes(tmp.path / "model" / "weights.bin");
  REQUIRE(bin.size() == 4 * (12 + 4 + 8 + 2));
  auto& dense = dynamic_cast<nn::Dense&>(model.layer(0));
  CHECK(le_float_at(bin, 0) == static_cast<float>(dense.kernel().value(0, 0)));
  CHECK(le_float_at(bin, 1) == static_cast<float>(dense.kernel().value(0, 1)));
  CHECK(le_float_at(bin, 4) == static_cast<float>(dense.kernel().value(1, 0)));
  CHECK(le_float_at(bin, 12) == static_cast<float>(dense.bias().value(0, 0)));

  nn::Sequential loaded = nn::load_model(tmp / "model");
  CHECK(loaded.to_json() == model.to_json());
  Matrix x = toy_data().x;
  CHECK(loaded.predict(x) == model.predict(x));
  CHECK(nn::load_model(tmp / "model/model.json").predict(x) == model.predict(x));
}

TEST_CASE("A saved model.json spells options as TF.js reads them: LeakyReLU's negative_slope is its alpha") {
  testing::TempDir tmp("saving");
  nn::Sequential model({.seed = 1});
  model.add(nn::Input(3));
  model.add(nn::Dense(2));
  model.add(nn::LeakyReLU({.negative_slope = 0.1}));
  model.save(tmp / "model");
  const json j = json::parse(read_bytes(tmp.path / "model" / "model.json"));
  const json& leaky = j["modelTopology"]["config"]["layers"][2];
  REQUIRE(leaky["class_name"] == "LeakyReLU");
  CHECK(leaky["config"]["alpha"] == 0.1);
  CHECK(!leaky["config"].contains("negative_slope"));
  // Keras 3's own JSON keeps its name, and the TF.js file reads back to the same slope.
  CHECK(json::parse(model.to_json())["config"]["layers"][2]["config"]["negative_slope"] == 0.1);
  CHECK(nn::load_model(tmp / "model").to_json() == model.to_json());
}

TEST_CASE("The docs/FORMATS.md weights.bin example decodes to its four floats") {
  // f853f2be 2b1f9ebe 7fc35d3f 708880bc
  const unsigned char raw[] = {0xf8, 0x53, 0xf2, 0xbe, 0x2b, 0x1f, 0x9e, 0xbe,
                               0x7f, 0xc3, 0x5d, 0x3f, 0x70, 0x88, 0x80, 0xbc};
  json manifest = {{{"paths", {"weights.bin"}}, {"weights", {spec("dense/kernel", {3, 1}), spec("dense/bias", {1})}}}};
  nn::Sequential model = nn::load_model_from_memory(one_unit_model_json(manifest),
                                                    {{"weights.bin", std::string(reinterpret_cast<const char*>(raw), 16)}});
  auto w = model.get_weights();
  CHECK(w[0](0, 0) == doctest::Approx(-0.47329688).epsilon(1e-7));
  CHECK(w[0](1, 0) == doctest::Approx(-0.30883154).epsilon(1e-7));
  CHECK(w[0](2, 0) == doctest::Approx(0.86626428).epsilon(1e-7));
  CHECK(w[1](0, 0) == doctest::Approx(-0.015690058).epsilon(1e-7));
}

TEST_CASE("Weights are matched by name across shards, a tensor may span two shards, quantized forms decode") {
  // Bias first, then the kernel split 5 + 7 bytes across two files.
  std::string bytes = le_floats({0.5f, 1.0f, 2.0f, 3.0f});
  json manifest = {{{"paths", {"group1-shard1of2.bin", "group1-shard2of2.bin"}},
                    {"weights", {spec("dense/bias", {1}), spec("dense/kernel", {3, 1})}}}};
  nn::Sequential model = nn::load_model_from_memory(
      one_unit_model_json(manifest), {{"group1-shard1of2.bin", bytes.substr(0, 9)}, {"group1-shard2of2.bin", bytes.substr(9)}});
  CHECK(model.get_weights()[0] == (Matrix(3, 1) << 1, 2, 3).finished());
  CHECK(model.get_weights()[1](0, 0) == 0.5);

  // uint8: q * scale + min; float16: IEEE half (0x3c00 = 1, 0xc000 = -2, 0x3555 = 0.333251953125, 0x0001 = 2^-24).
  json quantized = {{{"paths", {"a.bin"}},
                     {"weights",
                      {{{"name", "dense/kernel"}, {"shape", {3, 1}}, {"dtype", "float32"},
                        {"quantization", {{"dtype", "uint8"}, {"scale", 0.5}, {"min", -1.0}}}},
                       {{"name", "dense/bias"}, {"shape", {1}}, {"dtype", "float32"},
                        {"quantization", {{"dtype", "float16"}}}}}}},
                    {{"paths", {"b.bin"}},
                     {"weights", json::array()}}};
  std::string a = std::string("\x00\x04\xff", 3) + std::string("\x55\x35", 2);
  nn::Sequential q = nn::load_model_from_memory(one_unit_model_json(quantized), {{"a.bin", a}, {"b.bin", ""}});
  CHECK(q.get_weights()[0] == (Matrix(3, 1) << -1.0, 1.0, 126.5).finished());
  CHECK(q.get_weights()[1](0, 0) == Scalar(0.333251953125));
}

TEST_CASE("uint16 quantized weights: two little-endian bytes per value, min + scale * q") {
  // Kernel: q = 0x0000, 0x0102 (bytes 02 01), 0xffff with scale 0.25, min -2 -> -2, -2 + 258/4, -2 + 65535/4.
  // Bias: q = 0x8000 (bytes 00 80) with scale 2^-15, min 0.5 -> 1.5. Read big-endian, 0x0102 would give 126.25.
  json manifest = {{{"paths", {"weights.bin"}},
                    {"weights",
                     {{{"name", "dense/kernel"}, {"shape", {3, 1}}, {"dtype", "float32"},
                       {"quantization", {{"dtype", "uint16"}, {"scale", 0.25}, {"min", -2.0}}}},
                      {{"name", "dense/bias"}, {"shape", {1}}, {"dtype", "float32"},
                       {"quantization", {{"dtype", "uint16"}, {"scale", 1.0 / 32768}, {"min", 0.5}}}}}}}};
  const std::string bytes("\x00\x00\x02\x01\xff\xff\x00\x80", 8);
  nn::Sequential q = nn::load_model_from_memory(one_unit_model_json(manifest), {{"weights.bin", bytes}});
  CHECK(q.get_weights()[0] == (Matrix(3, 1) << -2.0, 62.5, 16381.75).finished());
  CHECK(q.get_weights()[1](0, 0) == Scalar(1.5));
  // Two bytes per value: 8 bytes in all, so one byte more or less is an error.
  CHECK_THROWS_WITH_AS(nn::load_model_from_memory(one_unit_model_json(manifest), {{"weights.bin", bytes + "x"}}),
                       doctest::Contains("weightsManifest[0].paths[0]): holds 9 bytes, 1 more than the 8 expected"),
                       Error);
  CHECK_THROWS_WITH_AS(
      nn::load_model_from_memory(one_unit_model_json(manifest), {{"weights.bin", bytes.substr(0, 7)}}),
      doctest::Contains("weight 'dense/bias' of shape [1] needs 2 bytes from byte 6"), Error);
}

TEST_CASE("Bad weight files are errors naming the file and the weight; nothing is half-loaded" * doctest::skip(!kFloatBuild)) {
  testing::TempDir tmp("saving");
  nn::Sequential model = small_model();
  model.save(tmp / "good");
  const std::string good_bin = read_bytes(tmp.path / "good" / "weights.bin");
  const json good_json = json::parse(read_bytes(tmp.path / "good" / "model.json"));
  auto variant = [&](const std::string& name, const json& model_json, const std::string& bin) {
    fs::create_directories(tmp.path / name);
    write_bytes(tmp.path / name / "model.json", model_json.dump());
    if (!bin.empty()) write_bytes(tmp.path / name / "weights.bin", bin);
    return tmp / name;
  };

  CHECK_THROWS_WITH_AS(nn::load_model(variant("short", good_json, good_bin.substr(0, good_bin.size() - 4))),
                       doctest::Contains("weights.bin: weight 'dense_1/bias' of shape [2] needs 8 bytes from byte 96"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::load_model(variant("long", good_json, good_bin + "abcd")),
                       doctest::Contains("long/model.json: weightsManifest[0].paths[0]): holds 108 bytes, 4 more than the 104 expected"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::load_model(variant("missing", good_json, "")),
                       doctest::Contains("missing/weights.bin: cannot open"), Error);
  json reshaped = good_json;
  reshaped["weightsManifest"][0]["weights"][0]["shape"] = {4, 3};
  CHECK_THROWS_WITH_AS(nn::load_model(variant("shape", reshaped, good_bin)),
                       doctest::Contains("weights.bin: weight 'dense/kernel' (bytes 0-48): shape [4, 3] disagrees with "
                                         "the model's 'dense/kernel'. Expected [3, 4]"),
                       Error);
  json renamed = good_json;
  renamed["weightsManifest"][0]["weights"][3]["name"] = "dense_9/bias";
  CHECK_THROWS_WITH_AS(nn::load_model(variant("renamed", renamed, good_bin)),
                       doctest::Contains("no saved weight for dense_1/bias"), Error);
  std::string nan_bin = good_bin;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(&nan_bin[4 * 13], &nan, 4);
  CHECK_THROWS_WITH_AS(nn::load_model(variant("nan", good_json, nan_bin)),
                       doctest::Contains("weights.bin: weight 'dense/bias' (bytes 48-64): non-finite value nan at element 1"),
                       Error);
  json absolute = good_json;
  absolute["weightsManifest"][0]["paths"] = {"/etc/passwd"};
  CHECK_THROWS_WITH_AS(nn::load_model(variant("absolute", absolute, good_bin)),
                       doctest::Contains("weightsManifest[0].paths[0]: expected a file name relative to model.json"),
                       Error);

  // load_weights into a trained model: a bad file leaves every weight as it was.
  nn::Sequential target = small_model(7);
  const auto before = target.get_weights();
  CHECK_THROWS_AS(target.load_weights(tmp / "nan"), Error);
  CHECK_THROWS_AS(target.load_weights(tmp / "renamed"), Error);
  const auto after = target.get_weights();
  REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < after.size(); ++i) CHECK(after[i] == before[i]);
  target.load_weights(tmp / "good");
  CHECK(target.get_weights()[0] == model.get_weights()[0]);
}

TEST_CASE("Shards are read only from regular files inside the model's directory, each no longer than its manifest says" *
          doctest::skip(!kFloatBuild)) {
  testing::TempDir tmp("saving");
  small_model().save(tmp / "good");
  const std::string good_json = read_bytes(tmp.path / "good" / "model.json");
  const std::string good_bin = read_bytes(tmp.path / "good" / "weights.bin");
  write_bytes(tmp.path / "outside.bin", good_bin);  // the right bytes, so only the place is wrong
  auto model_dir = [&](const std::string& name) {
    fs::create_directories(tmp.path / name);
    write_bytes(tmp.path / name / "model.json", good_json);
    return tmp.path / name;
  };

  fs::create_symlink(tmp.path / "outside.bin", model_dir("symlink_out") / "weights.bin");
  CHECK_THROWS_WITH_AS(nn::load_model((tmp.path / "symlink_out").string()),
                       doctest::Contains("outside the model's directory"), Error);
  // A symlink to a file inside the directory is as good as the file.
  write_bytes(model_dir("symlink_in") / "real.bin", good_bin);
  fs::create_symlink("real.bin", tmp.path / "symlink_in" / "weights.bin");
  CHECK(nn::load_model((tmp.path / "symlink_in").string()).get_weights()[0] == small_model().get_weights()[0]);

  fs::create_directories(model_dir("directory") / "weights.bin");
  CHECK_THROWS_WITH_AS(nn::load_model((tmp.path / "directory").string()),
                       doctest::Contains("not a regular file (a directory)"), Error);
  REQUIRE(::mkfifo((model_dir("fifo") / "weights.bin").c_str(), 0600) == 0);  // reading it would wait forever
  CHECK_THROWS_WITH_AS(nn::load_model((tmp.path / "fifo").string()), doctest::Contains("not a regular file (a FIFO)"),
                       Error);
  fs::create_symlink("/dev/zero", model_dir("device") / "weights.bin");
  CHECK_THROWS_WITH_AS(nn::load_model((tmp.path / "device").string()), doctest::Contains("outside the model's"), Error);
  // A 1 GiB sparse file is refused from its size, before a byte of it is read.
  { std::ofstream(model_dir("sparse") / "weights.bin"); }
  fs::resize_file(tmp.path / "sparse" / "weights.bin", std::uintmax_t{1} << 30);
  CHECK_THROWS_WITH_AS(nn::load_model((tmp.path / "sparse").string()),
                       doctest::Contains("holds 1073741824 bytes, 1073741720 more than the 104 expected"), Error);
  json dotdot = json::parse(good_json);
  dotdot["weightsManifest"][0]["paths"] = {"../outside.bin"};
  write_bytes(model_dir("dotdot") / "model.json", dotdot.dump());
  CHECK_THROWS_WITH_AS(nn::load_model((tmp.path / "dotdot").string()),
                       doctest::Contains("paths[0]: expected a file name relative to model.json; received \"../outside.bin\""),
                       Error);
  // model.json itself must be a regular file too: a FIFO in its place is refused, not waited on.
  fs::create_directories(tmp.path / "fifo_json");
  REQUIRE(::mkfifo((tmp.path / "fifo_json" / "model.json").c_str(), 0600) == 0);
  CHECK_THROWS_WITH_AS(nn::load_model((tmp.path / "fifo_json").string()), doctest::Contains("not a regular file"),
                       Error);

  // A shard listed twice counts twice: with every weight 0.5, the first half of weights.bin listed twice is the
  // whole stream; the whole file listed twice is 104 bytes too many.
  nn::Sequential halves = small_model();
  auto values = halves.get_weights();
  for (auto& m : values) m.setConstant(Scalar(0.5));
  halves.set_weights(values);
  halves.save(tmp / "halves");
  const std::string half_bin = read_bytes(tmp.path / "halves" / "weights.bin").substr(0, good_bin.size() / 2);
  json twice = json::parse(read_bytes(tmp.path / "halves" / "model.json"));
  twice["weightsManifest"][0]["paths"] = {"half.bin", "half.bin"};
  write_bytes(tmp.path / "halves" / "model.json", twice.dump());
  write_bytes(tmp.path / "halves" / "half.bin", half_bin);
  for (const auto& m : nn::load_model((tmp.path / "halves").string()).get_weights()) CHECK((m.array() == 0.5).all());
  twice["weightsManifest"][0]["paths"] = {"weights.bin", "weights.bin"};
  write_bytes(tmp.path / "halves" / "model.json", twice.dump());
  CHECK_THROWS_WITH_AS(nn::load_model((tmp.path / "halves").string()),
                       doctest::Contains("halves/model.json: weightsManifest[0].paths[1]): holds 104 bytes, 104 more than the 0"),
                       Error);
}

TEST_CASE("save_weights and load_weights carry the weights alone" * doctest::skip(!kFloatBuild)) {
  testing::TempDir tmp("saving");
  nn::Sequential a = small_model(1);
  a.save_weights(tmp / "w");
  CHECK(entries(tmp.path / "w") == std::vector<std::string>{"weights.bin", "weights_manifest.json"});
  nn::Sequential b = small_model(2);
  CHECK_FALSE(b.get_weights()[0] == a.get_weights()[0]);
  b.load_weights(tmp / "w");
  for (std::size_t i = 0; i < a.get_weights().size(); ++i) CHECK(b.get_weights()[i] == a.get_weights()[i]);
}

TEST_CASE("A failed save leaves the previous model intact and no temporary files" * doctest::skip(!kFloatBuild)) {
  testing::TempDir tmp("saving");
  nn::Sequential first = small_model(1);
  first.save(tmp / "model");
  const std::string json_before = read_bytes(tmp.path / "model" / "model.json");
  const std::string bin_before = read_bytes(tmp.path / "model" / "weights.bin");
  nn::Sequential second = small_model(2);

  SUBCASE("an injected failure midway through weights.bin") {
    nn::fail_saves_after_bytes_for_testing(40);
    CHECK_THROWS_WITH_AS(second.save(tmp / "model"), doctest::Contains("writing failed after 40 of 104 bytes"), Error);
    nn::fail_saves_after_bytes_for_testing(-1);
  }
  SUBCASE("the file size limit (RLIMIT_FSIZE), as a full disk") {
    rlimit old{};
    getrlimit(RLIMIT_FSIZE, &old);
    auto previous = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = old;
    small.rlim_cur = 64;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    CHECK_THROWS_WITH_AS(second.save(tmp / "model"), doctest::Contains("writing failed"), Error);
    setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, previous);
  }
  CHECK(read_bytes(tmp.path / "model" / "model.json") == json_before);
  CHECK(read_bytes(tmp.path / "model" / "weights.bin") == bin_before);
  CHECK(entries(tmp.path) == std::vector<std::string>{"model"});
  Matrix x = toy_data().x;
  CHECK(nn::load_model(tmp / "model").predict(x) == first.predict(x));

  // And a save that succeeds replaces it whole.
  second.save(tmp / "model");
  CHECK(entries(tmp.path) == std::vector<std::string>{"model"});
  CHECK(nn::load_model(tmp / "model").predict(x) == second.predict(x));
}

TEST_CASE("save refuses to replace a directory holding files it did not write") {
  testing::TempDir tmp("saving");
  fs::create_directories(tmp.path / "mine");
  write_bytes(tmp.path / "mine" / "notes.txt", "keep me");
  CHECK_THROWS_WITH_AS(small_model().save(tmp / "mine"), doctest::Contains("holds files a save did not write (notes.txt)"),
                       Error);
  CHECK(read_bytes(tmp.path / "mine" / "notes.txt") == "keep me");
}

TEST_CASE("Optimizer state is saved as TF.js keeps it: iter, then the Momentum accumulator a = -v / lr" * doctest::skip(!kFloatBuild)) {
  testing::TempDir tmp("saving");
  nn::Sequential model = small_model();
  const double lr = 0.05;
  model.compile("categorical_crossentropy", optim::SGD({.learning_rate = lr, .momentum = 0.9}));
  Dataset d = toy_data();
  model.fit(d.x, d.y, {.epochs = 1, .batch_size = 10, .verbose = 0});
  model.save(tmp / "m");
  json j = json::parse(read_bytes(tmp.path / "m" / "model.json"));
  CHECK(j["trainingConfig"]["optimizer_config"] ==
        json::parse(R"({"class_name": "Momentum", "config": {"learningRate": 0.05, "momentum": 0.9, "useNesterov": false}})"));
  json weights = j["weightsManifest"][0]["weights"];
  REQUIRE(weights.size() == 4 + 1 + 4 + 4);
  CHECK(weights[4] == json::parse(R"({"name": "iter", "shape": [], "dtype": "int32", "group": "optimizer"})"));
  CHECK(weights[5]["name"] == "dense/kernel/momentum");
  CHECK(weights[5]["group"] == "optimizer");
  CHECK(weights[9]["name"] == "dense/kernel/velocity");
  std::string bin = read_bytes(tmp.path / "m" / "weights.bin");
  std::uint32_t iter;
  std::memcpy(&iter, &bin[4 * 26], 4);
  CHECK(iter == 4);  // 40 samples in batches of 10
  const Matrix& v = model.optimizer().slot(0, 0);
  CHECK(le_float_at(bin, 27) == doctest::Approx(-v(0, 0) / lr).epsilon(1e-6));
  CHECK(le_float_at(bin, 27 + 26) == v(0, 0));  // the first velocity entry, exact
}

TEST_CASE("Training resumed from a saved model continues bit for bit" * doctest::skip(!kFloatBuild)) {
  Dataset d = toy_data(50);
  // Every slot kind TF.js saves: none (SGD), momentum, Adam's m and v, and RMSProp's rms, momentum and mg.
  for (auto optimizer : {optim::OptimizerId(optim::SGD({.learning_rate = 0.03, .momentum = 0.9, .nesterov = true})),
                         optim::OptimizerId(optim::SGD({.learning_rate = 0.07})),
                         optim::OptimizerId(optim::Adam({.learning_rate = 0.01, .beta_1 = 0.8, .beta_2 = 0.99})),
                         optim::OptimizerId(optim::RMSprop(
                             {.learning_rate = 0.005, .rho = 0.8, .momentum = 0.5, .centered = true}))}) {
    CAPTURE(serialize(*optim::get(optimizer)).dump());
    testing::TempDir tmp("saving");
    nn::Sequential straight = small_model();
    nn::FitOptions options{.epochs = 10, .batch_size = 8, .verbose = 0, .seed = 123};
    // Fresh optimizer objects for each run: compile keeps the object it is given.
    auto fresh = [&] { return optim::from_json(serialize(*optim::get(optimizer)), "copy"); };
    straight.compile("categorical_crossentropy", optim::OptimizerId(fresh()));
    nn::History full = straight.fit(d.x, d.y, options);

    nn::Sequential first = small_model();
    first.compile("categorical_crossentropy", optim::OptimizerId(fresh()));
    options.epochs = 5;
    first.fit(d.x, d.y, options);
    first.save(tmp / "half");
    nn::Sequential resumed = nn::load_model(tmp / "half");
    CHECK(resumed.optimizer().iterations() == first.optimizer().iterations());
    options.epochs = 10;
    options.initial_epoch = 5;
    nn::History rest = resumed.fit(d.x, d.y, options);
    CHECK(rest.epoch == std::vector<int>{5, 6, 7, 8, 9});
    for (int e = 0; e < 5; ++e) CHECK(rest["loss"][e] == full["loss"][e + 5]);
    const auto a = straight.get_weights(), b = resumed.get_weights();
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == b[i]);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Crashes and concurrency: saves are whole, loads see one save, concurrent saves never corrupt.

namespace {

// 2 -> Dense(units): models of different widths, so that one save's model.json with another's weights.bin fails.
nn::Sequential dense_model(Index units, std::uint64_t seed) {
  nn::Sequential model({.seed = seed});
  model.add(nn::Input(2));
  model.add(nn::Dense(units));
  model.build(2);
  return model;
}

// Whether `loaded` is `expected`: the same widths and bit-identical weights.
bool same_model(const nn::Sequential& loaded, const nn::Sequential& expected) {
  if (loaded.output_dim() != expected.output_dim()) return false;
  const auto a = loaded.get_weights(), b = expected.get_weights();
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].rows() != b[i].rows() || a[i].cols() != b[i].cols() || a[i] != b[i]) return false;
  return true;
}

// Forks a child that runs `body` and ends with its result (1 on an exception), never returning into the runner.
pid_t start_child(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int code = 1;
    try {
      code = body();
    } catch (...) {
    }
    ::_exit(code);
  }
  return pid;
}

// The child's exit code, or -signal if a signal ended it.
int wait_child(pid_t pid) {
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

// The test-only switches of core/files, reset at the end of a scope.
struct Switches {
  Switches(bool locks, bool fallback) {
    disable_locks_for_testing(!locks);
    force_rename_fallback_for_testing(fallback);
  }
  ~Switches() {
    disable_locks_for_testing(false);
    force_rename_fallback_for_testing(false);
  }
};

}  // namespace

TEST_CASE("A crash at any step of a save leaves the old or the new model at the path; the next save cleans up" *
          doctest::skip(!kFloatBuild)) {
  const nn::Sequential old_model = dense_model(3, 1), new_model = dense_model(5, 2), next_model = dense_model(4, 3);
  for (bool fallback : {true, false}) {  // two renames, as on NFS; RENAME_EXCHANGE
    CAPTURE(fallback);
    int step = 1;
    for (;; ++step) {
      CAPTURE(step);
      testing::TempDir tmp("saving");
      const std::string path = tmp / "model";
      old_model.save(path);
      const int code = wait_child(start_child([&] {
        force_rename_fallback_for_testing(fallback);
        crash_at_step_for_testing(step);  // _exit at the step-th crash point: a real crash, in a child
        new_model.save(path);
        return 0;
      }));
      REQUIRE((code == 0 || code == kCrashExitCodeForTesting));
      const nn::Sequential loaded = nn::load_model(path);
      const bool is_old = same_model(loaded, old_model), is_new = same_model(loaded, new_model);
      CHECK((is_old || is_new));
      if (code == 0) CHECK(is_new);
      next_model.save(path);  // removes what the crashed save left
      CHECK(entries(tmp.path) == std::vector<std::string>{"model"});
      CHECK(same_model(nn::load_model(path), next_model));
      if (code == 0) break;  // the save ran to the end: every crash point has been walked
    }
    CHECK(step >= 7);
  }
}

TEST_CASE("Loads during a stream of saves each see one save: no mix and no error, with flock and without" *
          doctest::skip(!kFloatBuild)) {
  const nn::Sequential three = dense_model(3, 1), five = dense_model(5, 2);
  for (bool locks : {true, false})
    for (bool fallback : {false, true}) {
      CAPTURE(locks);
      CAPTURE(fallback);
      testing::TempDir tmp("saving");
      const std::string path = tmp / "model";
      three.save(path);
      const Switches switches(locks, fallback);
      const pid_t writer = start_child([&] {
        for (;;) {
          five.save(path);
          ::usleep(100);
          three.save(path);
          ::usleep(100);
        }
        return 0;
      });
      int mixes = 0, errors = 0, fives = 0;
      std::string first_error;
      for (int i = 0; i < 200; ++i) try {
          const nn::Sequential loaded = nn::load_model(path);
          if (same_model(loaded, five)) ++fives;
          else if (!same_model(loaded, three)) ++mixes;
        } catch (const Error& e) {
          if (errors++ == 0) first_error = e.what();
        }
      ::kill(writer, SIGKILL);  // maybe mid-save: a crash too
      CHECK(wait_child(writer) == -SIGKILL);  // the writer was still saving
      CAPTURE(first_error);
      CAPTURE(fives);
      CHECK(errors == 0);
      CHECK(mixes == 0);
      const nn::Sequential last = nn::load_model(path);
      CHECK((same_model(last, three) || same_model(last, five)));
    }
}

TEST_CASE("Two threads, then two processes, saving one path: each save succeeds or is an Error; one model remains" *
          doctest::skip(!kFloatBuild)) {
  const nn::Sequential three = dense_model(3, 1), five = dense_model(5, 2);
  for (bool locks : {true, false})
    for (bool fallback : {false, true}) {
      CAPTURE(locks);
      CAPTURE(fallback);
      testing::TempDir tmp("saving");
      const std::string path = tmp / "model";
      const Switches switches(locks, fallback);
      std::atomic<int> failed{0};
      auto saves = [&](const nn::Sequential& model) {
        int count = 0;
        for (int i = 0; i < 10; ++i) try {
            model.save(path);
          } catch (const Error&) {
            ++count;
          }
        failed += count;
        return count;
      };
      std::thread other([&] { saves(five); });
      saves(three);
      other.join();
      const pid_t child = start_child([&] { return saves(five) == 0 ? 0 : 2; });
      saves(three);
      const int child_code = wait_child(child);
      CHECK((child_code == 0 || child_code == 2));
      if (locks) {
        CHECK(failed == 0);
        CHECK(child_code == 0);
      }
      const nn::Sequential last = nn::load_model(path);
      CHECK((same_model(last, three) || same_model(last, five)));
      CHECK(entries(tmp.path) == std::vector<std::string>{"model"});
    }
}

TEST_CASE("A save names the real cause: a parent that is a file is 'Not a directory', never 'Success'") {
  testing::TempDir tmp("saving");
  write_bytes(tmp.path / "file", "x");
  CHECK_THROWS_WITH_AS(small_model().save(tmp / "file/model"), doctest::Contains("Not a directory"), Error);
  CHECK_THROWS_WITH_AS(small_model().save(tmp / std::string(300, 'm')), doctest::Contains("File name too long"),
                       Error);
  CHECK_THROWS_WITH_AS(small_model().save(tmp / "file"), doctest::Contains("exists and is not a directory"), Error);
  CHECK(entries(tmp.path) == std::vector<std::string>{"file"});
}

TEST_CASE("A save nested in a directory replacement, as the descent program's, reads back with its files as one save" *
          doctest::skip(!kFloatBuild)) {
  testing::TempDir tmp("saving");
  const std::string path = tmp / "out";
  for (std::uint64_t seed : {1, 2}) {
    const nn::Sequential model = dense_model(3, seed);
    replace_directory(path, [&](const std::string& staging) {
      model.save(staging);  // a second replace_directory, under the same lock
      write_file_synced(staging + "/descent.json", std::to_string(seed));
    }, "--out");
    std::string extra;
    read_directory(path, [&](int dir_fd, const std::string& dir) {
      CHECK(same_model(nn::load_model_at(dir_fd, dir), model));
      extra = read_regular_file_at(dir_fd, "descent.json", dir + "/descent.json", 100, "test");
    }, "test");
    CHECK(extra == std::to_string(seed));
    CHECK(entries(tmp.path) == std::vector<std::string>{"out"});
  }
}
