// The {"class_name", "config"} pair every registry reads back.
#include "serializable.hpp"

#include <nlohmann/json.hpp>

namespace descent {

nlohmann::json serialize(const Serializable& object) {
  return {{"class_name", object.class_name()}, {"config", object.config()}};
}

}  // namespace descent
