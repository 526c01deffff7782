// AdamW: Adam's rule; the decay itself is the weight_decay every optimizer applies in Optimizer::step.
#include "adamw.hpp"

#include <descent/core/config.hpp>

#include <nlohmann/json.hpp>

namespace descent::optim {

AdamW::AdamW(AdamWOptions options)
    : Adam({.learning_rate = options.learning_rate,
            .beta_1 = options.beta_1,
            .beta_2 = options.beta_2,
            .epsilon = options.epsilon,
            .amsgrad = options.amsgrad,
            .weight_decay = options.weight_decay,
            .clipnorm = options.clipnorm,
            .clipvalue = options.clipvalue,
            .global_clipnorm = options.global_clipnorm},
           "AdamW"),
      options_(std::move(options)) {}

nlohmann::json AdamW::config() const { return with_fields(base_config("adamw"), options_); }

}  // namespace descent::optim
