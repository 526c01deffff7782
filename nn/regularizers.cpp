// L1, L2, L1L2 and their registry.
#include "regularizers.hpp"

#include <descent/core/config.hpp>
#include <descent/core/registry.hpp>
#include <descent/core/error.hpp>

#include <cmath>
#include <functional>

namespace descent::nn {

L1L2::L1L2(L1L2Options options) : options_(options) {
  // Keras validates each factor the same way: a finite, non-negative number.
  for (auto [key, v] : {std::pair{"l1", options_.l1}, std::pair{"l2", options_.l2}})
    check(std::isfinite(v) && v >= 0, "Regularizer: expected ", key, " to be a finite number >= 0; received ", key,
          "=", v, ".");
}

double L1L2::value(const Matrix& w) const {
  double penalty = 0.0;
  if (options_.l1 != 0) penalty += options_.l1 * w.template cast<double>().cwiseAbs().sum();
  if (options_.l2 != 0) penalty += options_.l2 * w.template cast<double>().squaredNorm();
  return penalty;
}

void L1L2::add_gradient(const Matrix& w, Matrix& grad) const {
  if (options_.l1 != 0) grad.array() += static_cast<Scalar>(options_.l1) * w.array().sign();
  if (options_.l2 != 0) grad.array() += static_cast<Scalar>(2 * options_.l2) * w.array();
}

json L1L2::config() const { return {{"l1", options_.l1}, {"l2", options_.l2}}; }
json L1::config() const { return {{"l1", options_.l1}}; }
json L2::config() const { return {{"l2", options_.l2}}; }

namespace {

using Factory = RegularizerFactory;

// Keras class names, and the snake names keras.regularizers.get accepts.
Registry<Factory>& registry() {
  static Registry<Factory> table("regularizer", "regularizers", NameMatch::exact, {
      {"L1", {"l1"}, [](ConfigReader& r) {
         double l1 = 0.01;
         r.read("l1", l1);
         return std::make_shared<L1>(l1);
       }},
      {"L2", {"l2"}, [](ConfigReader& r) {
         double l2 = 0.01;
         r.read("l2", l2);
         return std::make_shared<L2>(l2);
       }},
      {"L1L2", {"l1_l2"}, [](ConfigReader& r) {
         L1L2Options o;
         r.read("l1", o.l1);
         r.read("l2", o.l2);
         return std::make_shared<L1L2>(o);
       }},
  });
  return table;
}

}  // namespace

std::shared_ptr<Regularizer> get_regularizer(const RegularizerId& id) {
  return id.is_name() ? registry().make(id.name(), json::object(), "Regularizer", "Regularizer") : id.object();
}

std::shared_ptr<Regularizer> regularizer_from_json(const json& value, const std::string& where) {
  if (value.is_string()) return registry().make(value.get<std::string>(), json::object(), where, where);
  auto [class_name, config] = split_class_and_config(value, where);
  return registry().make(class_name, config, where + ".class_name", where + ".config");
}

void register_regularizer(const std::string& class_name, std::vector<std::string> aliases, RegularizerFactory factory) {
  registry().add({class_name, std::move(aliases), std::move(factory)});
}

}  // namespace descent::nn
