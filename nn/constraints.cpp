// MaxNorm, NonNeg, UnitNorm, MinMaxNorm and their registry.
#include "constraints.hpp"

#include <descent/core/config.hpp>
#include <descent/core/registry.hpp>
#include <descent/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>

namespace descent::nn {
namespace {

constexpr double kEpsilon = 1e-7;  // Keras's backend epsilon in the norm's denominator

// Which axes of a weight of Keras shape `shape` the norm runs over (Keras's sum over `axis`, keepdims), as bits
// (bit a for axis a; no allocation, since constraints run after every step): a vector's one axis whatever `axis`
// says, as before weights had shapes; otherwise each axis, from the end when negative, which must exist.
std::uint64_t reduced_axes(const Axes& axis, const Shape& shape, const char* who) {
  const auto rank = static_cast<int>(shape.rank());
  if (rank <= 1) return 1;
  check(rank <= 64, who, ": weights of more than 64 axes are not supported; received shape ", shape, ".");
  std::uint64_t reduced = 0;
  for (int a : axis) {
    check(a >= -rank && a < rank, who, ": axis=", a, " is not an axis of a weight of shape ", shape, ".");
    reduced |= std::uint64_t{1} << (a < 0 ? a + rank : a);
  }
  return reduced;
}

// Scales each slice of `w` by scale(norm) / (epsilon + norm), the norm computed in double over the reduced axes.
// w holds the weight as Param does: the last axis as columns, the others flattened in row-major order as rows.
template <class Scale>
void rescale(Matrix& w, const Shape& shape, const Axes& axis, const char* who, Scale scale) {
  auto factor = [&](double norm) { return static_cast<Scalar>(scale(norm) / (kEpsilon + norm)); };
  const std::uint64_t reduced = reduced_axes(axis, shape, who);
  const std::size_t rank = std::max<std::size_t>(shape.rank(), 1);
  const std::uint64_t last_bit = std::uint64_t{1} << (rank - 1), leading_bits = last_bit - 1;
  const bool last = reduced & last_bit;
  const std::uint64_t leading = reduced & leading_bits;
  if (last && leading == leading_bits) {  // one norm for the whole weight
    w *= factor(std::sqrt(w.template cast<double>().squaredNorm()));
  } else if (leading == leading_bits) {  // one norm per column (a Dense kernel's axis 0: per unit)
    for (Index j = 0; j < w.cols(); ++j) w.col(j) *= factor(std::sqrt(w.col(j).template cast<double>().squaredNorm()));
  } else if (last && leading == 0) {  // one norm per row
    for (Index i = 0; i < w.rows(); ++i) w.row(i) *= factor(std::sqrt(w.row(i).template cast<double>().squaredNorm()));
  } else {  // other axes of a weight of rank > 2: one slice per coordinate on the axes kept
    // The slice of flat element i: its coordinates on the kept axes, read as one row-major index.
    auto slice_of = [&](Index i) {
      Index slice = 0, stride = 1;
      for (std::size_t a = shape.rank(); a-- > 0; i /= shape[a])
        if (!(reduced >> a & 1)) {
          slice += i % shape[a] * stride;
          stride *= shape[a];
        }
      return static_cast<std::size_t>(slice);
    };
    Index slices = 1;
    for (std::size_t a = 0; a < shape.rank(); ++a)
      if (!(reduced >> a & 1)) slices *= shape[a];
    std::vector<double> squares(static_cast<std::size_t>(slices), 0.0);
    for (Index i = 0; i < w.size(); ++i) squares[slice_of(i)] += double(w.data()[i]) * w.data()[i];
    for (Index i = 0; i < w.size(); ++i) w.data()[i] *= factor(std::sqrt(squares[slice_of(i)]));
  }
}

void check_axes(const Axes& axis, const char* who) {
  check(!axis.empty(), who, ": expected axis to name at least one axis.");
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
void MaxNorm::apply(Matrix& w, const Shape& shape) const {
  const double max_value = options_.max_value;
  rescale(w, shape, options_.axis, "MaxNorm", [&](double norm) { return std::clamp(norm, 0.0, max_value); });
}
json MaxNorm::config() const { return {{"max_value", options_.max_value}, {"axis", axis_json(options_.axis)}}; }

void NonNeg::apply(Matrix& w, const Shape&) const { w = w.cwiseMax(Scalar(0)); }
json NonNeg::config() const { return json::object(); }

UnitNorm::UnitNorm(UnitNormOptions options) : options_(std::move(options)) { check_axes(options_.axis, "UnitNorm"); }
void UnitNorm::apply(Matrix& w, const Shape& shape) const {
  rescale(w, shape, options_.axis, "UnitNorm", [](double) { return 1.0; });
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
void MinMaxNorm::apply(Matrix& w, const Shape& shape) const {
  const auto& o = options_;
  rescale(w, shape, o.axis, "MinMaxNorm", [&](double norm) {
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

using Factory = ConstraintFactory;

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

void register_constraint(const std::string& class_name, std::vector<std::string> aliases, ConstraintFactory factory) {
  registry().add({class_name, std::move(aliases), std::move(factory)});
}

}  // namespace descent::nn
