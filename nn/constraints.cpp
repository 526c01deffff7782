// MaxNorm, NonNeg, UnitNorm, MinMaxNorm and their registry.
#include "constraints.hpp"

#include <descent/core/config.hpp>
#include <descent/core/registry.hpp>
#include <descent/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <functional>

namespace descent::nn {
namespace {

constexpr double kEpsilon = 1e-7;  // Keras's backend epsilon in the norm's denominator

enum class Slices { columns, rows, all };

// Which slices the norm runs over, from Keras's axis for a weight of rank 1 (vector) or 2.
Slices slices_of(const Axes& axis, bool is_vector) {
  if (is_vector) return Slices::all;
  bool rows = false, cols = false;
  for (int a : axis) (a == 0 || a == -2 ? rows : cols) = true;
  if (rows && cols) return Slices::all;
  return rows ? Slices::columns : Slices::rows;  // a norm over axis 0 runs down each column
}

void check_axes(const Axes& axis, const char* who) {
  check(!axis.empty(), who, ": expected axis to name at least one axis.");
  for (int a : axis)
    check(a >= -2 && a <= 1, who, ": expected axis in {-2, -1, 0, 1} for a Dense weight; received axis=", a, ".");
}

// Scales each slice of `w` by scale(norm) / (epsilon + norm), computed in double.
template <class Scale>
void rescale(Matrix& w, Slices slices, Scale scale) {
  auto factor = [&](double norm) { return static_cast<Scalar>(scale(norm) / (kEpsilon + norm)); };
  switch (slices) {
    case Slices::all:
      w *= factor(std::sqrt(w.template cast<double>().squaredNorm()));
      break;
    case Slices::columns:
      for (Index j = 0; j < w.cols(); ++j) w.col(j) *= factor(std::sqrt(w.col(j).template cast<double>().squaredNorm()));
      break;
    case Slices::rows:
      for (Index i = 0; i < w.rows(); ++i) w.row(i) *= factor(std::sqrt(w.row(i).template cast<double>().squaredNorm()));
      break;
  }
}

json axis_json(const Axes& axis) { return axis.size() == 1 ? json(axis[0]) : json(axis); }

Axes read_axis(ConfigReader& r) {
  const json* v = r.find("axis");
  if (!v) return {0};
  if (v->is_number_integer()) return {v->get<int>()};
  check_at(v->is_array() && std::all_of(v->begin(), v->end(), [](const json& a) { return a.is_number_integer(); }),
           r.path("axis"), "expected an integer or a list of integers; received ", describe(*v), ".");
  return v->get<Axes>();
}

}  // namespace

MaxNorm::MaxNorm(MaxNormOptions options) : options_(std::move(options)) {
  check(std::isfinite(options_.max_value) && options_.max_value >= 0,
        "MaxNorm: expected max_value >= 0; received max_value=", options_.max_value, ".");
  check_axes(options_.axis, "MaxNorm");
}
void MaxNorm::apply(Matrix& w, bool is_vector) const {
  const double max_value = options_.max_value;
  rescale(w, slices_of(options_.axis, is_vector), [&](double norm) { return std::clamp(norm, 0.0, max_value); });
}
json MaxNorm::config() const { return {{"max_value", options_.max_value}, {"axis", axis_json(options_.axis)}}; }

void NonNeg::apply(Matrix& w, bool) const { w = w.cwiseMax(Scalar(0)); }
json NonNeg::config() const { return json::object(); }

UnitNorm::UnitNorm(UnitNormOptions options) : options_(std::move(options)) { check_axes(options_.axis, "UnitNorm"); }
void UnitNorm::apply(Matrix& w, bool is_vector) const {
  rescale(w, slices_of(options_.axis, is_vector), [](double) { return 1.0; });
}
json UnitNorm::config() const { return {{"axis", axis_json(options_.axis)}}; }

MinMaxNorm::MinMaxNorm(MinMaxNormOptions options) : options_(std::move(options)) {
  check(std::isfinite(options_.min_value) && std::isfinite(options_.max_value) && options_.min_value >= 0 &&
            options_.min_value <= options_.max_value,
        "MinMaxNorm: expected 0 <= min_value <= max_value; received min_value=", options_.min_value,
        ", max_value=", options_.max_value, ".");
  check(std::isfinite(options_.rate) && options_.rate >= 0 && options_.rate <= 1,
        "MinMaxNorm: expected rate in [0, 1]; received rate=", options_.rate, ".");
  check_axes(options_.axis, "MinMaxNorm");
}
void MinMaxNorm::apply(Matrix& w, bool is_vector) const {
  const auto& o = options_;
  rescale(w, slices_of(o.axis, is_vector), [&](double norm) {
    return o.rate * std::clamp(norm, o.min_value, o.max_value) + (1 - o.rate) * norm;
  });
}
json MinMaxNorm::config() const {
  return {{"min_value", options_.min_value},
          {"max_value", options_.max_value},
          {"rate", options_.rate},
          {"axis", axis_json(options_.axis)}};
}

namespace {

using Factory = std::function<std::shared_ptr<Constraint>(ConfigReader&)>;

// Keras class names, and the snake names keras.constraints.get accepts.
Registry<Factory>& registry() {
  static Registry<Factory> table("constraint", "constraints", NameMatch::exact, {
      {"MaxNorm", {"max_norm"}, [](ConfigReader& r) {
         MaxNormOptions o;
         r.read("max_value", o.max_value);
         o.axis = read_axis(r);
         return std::make_shared<MaxNorm>(o);
       }},
      {"NonNeg", {"non_neg"}, [](ConfigReader&) { return std::make_shared<NonNeg>(); }},
      {"UnitNorm", {"unit_norm"}, [](ConfigReader& r) {
         return std::make_shared<UnitNorm>(UnitNormOptions{.axis = read_axis(r)});
       }},
      {"MinMaxNorm", {"min_max_norm"}, [](ConfigReader& r) {
         MinMaxNormOptions o;
         r.read("min_value", o.min_value);
         r.read("max_value", o.max_value);
         r.read("rate", o.rate);
         o.axis = read_axis(r);
         return std::make_shared<MinMaxNorm>(o);
       }},
  });
  return table;
}

}  // namespace

std::shared_ptr<Constraint> get_constraint(const ConstraintId& id) {
  return id.is_name() ? registry().make(id.name(), json::object(), "Constraint", "Constraint") : id.object();
}

std::shared_ptr<Constraint> constraint_from_json(const json& value, const std::string& where) {
  if (value.is_string()) return registry().make(value.get<std::string>(), json::object(), where, where);
  auto [class_name, config] = split_class_and_config(value, where);
  return registry().make(class_name, config, where + ".class_name", where + ".config");
}


}  // namespace descent::nn
