// OptimizerWith::config(), kept out of the public header so that it need not include the whole of nlohmann/json.
#pragma once

#include <descent/optim/optimizer_with.hpp>

#include <descent/core/config.hpp>

namespace descent::optim {

template <class Derived, class Options>
nlohmann::json OptimizerWith<Derived, Options>::config() const {
  return with_fields(base_config(Derived::kName), options_);
}

}  // namespace descent::optim
