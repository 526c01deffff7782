#include "layer_config.hpp"

#include <descent/nn/activations.hpp>
#include <descent/core/error.hpp>

#include <nlohmann/json.hpp>

namespace descent::nn {

using nlohmann::json;

// dtype only says the precision Keras computed in; Descent computes in Scalar whatever it says. The input shape keys
// are read by the model reader.
void read_keys_every_layer_has(ConfigReader& r) {
  if (const json* dtype = r.find("dtype"))
    check_at(dtype->is_string() || dtype->is_object(), r.path("dtype"),
          "expected a string such as \"float32\" or a DTypePolicy object; received ", describe(*dtype), ".");
  r.ignore({"batch_input_shape", "input_shape", "batch_size", "autocast"});
}

std::string read_common(ConfigReader& r) {
  std::string name;
  r.read("name", name);
  return name;
}

void refuse_if_set(ConfigReader& r, const char* key, const char* feature) {
  if (const json* v = r.find(key)) fail_at(r.path(key), str(feature, " is not supported; received ", describe(*v), "."));
}

std::string read_activation(ConfigReader& r) {
  std::string activation = "linear";
  r.read("activation", activation);
  try {
    get_activation(activation);
  } catch (const Error& e) {
    fail_at(r.path("activation"), e.what());
  }
  return activation;
}

InitializerId read_initializer(ConfigReader& r, const char* key, const char* fallback) {
  const json* v = r.find(key);
  if (!v) return fallback;
  return initializer_from_json(*v, r.path(key));
}

}  // namespace descent::nn
