// Trained models as TF.js layers-model files: model.json (topology, trainingConfig, weightsManifest) + weights.bin.
#pragma once

#include <descent/models/sequential.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace descent::nn {

/// Reads a model saved by Model::save or by TF.js (model.save('file://...'), tfjs-converter output): `path` is
/// the directory or its model.json. The topology may be in any dialect model_from_json reads; weights are matched by
/// name ("<layer>/<weight>") across every shard of the manifest, float32 or quantized (uint8, uint16, float16). With
/// trainingConfig the model comes back compiled, and with optimizer weights ("group": "optimizer") the optimizer
/// resumes where it stopped; the model's seed and its noise layers' generators, which Descent keeps under
/// userDefinedMetadata.descent, come back too, so resumed training draws the same dropout masks. All or nothing: a
/// missing shard, a file of the wrong length, a shape that disagrees with the topology or a non-finite value is a descent::Error naming the file and the weight, and no model is returned.
struct LoadOptions {
  /// Keras's compile argument: false loads the architecture and the weights alone, without the loss, optimizer and
  /// metrics (nor the optimizer's state), so a file whose training settings name classes this program lacks loads.
  bool compile = true;
};

/// One save: model.json and its shards are read from one directory (descent::read_directory), so a load while
/// Model::save replaces the directory gets the previous model or the new one, and after a save cut short by a
/// crash it gets the one the path held before.
Model load_model(const std::string& path, LoadOptions options = {});

/// load_model on a model directory already open as `dir_fd`, which `dir` names in messages: inside
/// descent::read_directory, to read other files of the same save beside the model (the descent program's
/// descent.json).
Model load_model_at(int dir_fd, const std::string& dir, LoadOptions options = {});

/// load_model on files held in memory: `model_json` is model.json's text and `files` maps each path its
/// weightsManifest names to that file's bytes. `source` names model.json in messages.
Model load_model_from_memory(const std::string& model_json, const std::map<std::string, std::string>& files,
                                  const std::string& source = "model.json", LoadOptions options = {});

/// For tests of atomic saving: the next saves fail with an Error once `bytes` more bytes have been written, as a
/// full disk would make them fail; a negative value turns this off.
void fail_saves_after_bytes_for_testing(std::int64_t bytes);

}  // namespace descent::nn
