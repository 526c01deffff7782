// L1, L2, L1L2 and their registry.
#include "regularizers.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>

#include <cmath>
#include <functional>
#include <map>

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

using Factory = std::function<std::shared_ptr<Regularizer>(ConfigReader&)>;

// Keras class names, and the snake names keras.regularizers.get accepts.
const std::map<std::string, std::pair<std::string, Factory>>& registry() {
  static const std::map<std::string, std::pair<std::string, Factory>> table = {
      {"L1", {"l1", [](ConfigReader& r) {
         double l1 = 0.01;
         r.read("l1", l1);
         return std::make_shared<L1>(l1);
       }}},
      {"L2", {"l2", [](ConfigReader& r) {
         double l2 = 0.01;
         r.read("l2", l2);
         return std::make_shared<L2>(l2);
       }}},
      {"L1L2", {"l1_l2", [](ConfigReader& r) {
         L1L2Options o;
         r.read("l1", o.l1);
         r.read("l2", o.l2);
         return std::make_shared<L1L2>(o);
       }}},
  };
  return table;
}

std::string valid_names() {
  std::string valid;
  for (const auto& [cls, entry] : registry()) valid += (valid.empty() ? "" : ", ") + cls + " (\"" + entry.first + "\")";
  return valid;
}

// `where` names the class in messages; `config_where` its config.
std::shared_ptr<Regularizer> make(const std::string& name, const json& config, const std::string& where,
                                  const std::string& config_where) {
  for (const auto& [cls, entry] : registry())
    if (cls == name || entry.first == name) {
      ConfigReader reader(config, config_where);
      try {
        auto result = entry.second(reader);
        reader.finish();
        return result;
      } catch (const Error& e) {
        if (std::string(e.what()).rfind(config_where, 0) == 0) throw;
        fail(str(config_where, ": ", e.what()));  // the constructor's checks do not know the path
      }
    }
  fail(str(where, ": unknown regularizer \"", name, "\". Valid regularizers: ", valid_names(), "."));
}

}  // namespace

std::shared_ptr<Regularizer> get_regularizer(const RegularizerId& id) {
  return id.is_name() ? make(id.name(), json::object(), "Regularizer", "Regularizer") : id.object();
}

std::shared_ptr<Regularizer> regularizer_from_json(const json& value, const std::string& where) {
  if (value.is_string()) return make(value.get<std::string>(), json::object(), where, where);
  auto [class_name, config] = split_class_and_config(value, where);
  return make(class_name, config, where + ".class_name", where + ".config");
}

json regularizer_to_json(const Regularizer& regularizer) {
  return {{"class_name", regularizer.class_name()}, {"config", regularizer.config()}};
}

}  // namespace descent::nn
