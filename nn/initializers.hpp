// Weight initializers with Keras 3's formulas (keras/src/initializers), by name or object.
#pragma once

#include <descent/core/config.hpp>
#include <descent/core/identifier.hpp>
#include <descent/core/serializable.hpp>
#include <descent/core/tensor.hpp>

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace descent::nn {

/// A weight's fans, as Keras's compute_fans: {n} has both n; {in, out} has in and out; a kernel {..., in, out} of
/// higher rank multiplies both by its receptive field, the product of the leading axes (kh * kw for Conv2D).
struct Fans {
  double in = 1, out = 1;
};
Fans compute_fans(const Shape& shape);

/// Fills a weight of Keras shape `shape`, stored as Param stores it (core/tensor.hpp).
class Initializer : public Serializable {
 public:
  /// Fills `out` in place; draws from `rng` unless the initializer has its own seed. Fans come from `shape`.
  virtual void fill(Matrix& out, const Shape& shape, Rng& rng) const = 0;
};

struct Zeros final : Initializer {
  std::string class_name() const override { return "Zeros"; }
  void fill(Matrix& out, const Shape&, Rng&) const override { out.setZero(); }
  nlohmann::json config() const override;
};

struct Ones final : Initializer {
  std::string class_name() const override { return "Ones"; }
  void fill(Matrix& out, const Shape&, Rng&) const override { out.setOnes(); }
  nlohmann::json config() const override;
};

struct Constant final : Initializer {
  double value = 0.0;
  explicit Constant(double v = 0.0) : value(v) {}
  std::string class_name() const override { return "Constant"; }
  void fill(Matrix& out, const Shape&, Rng&) const override { out.setConstant(static_cast<Scalar>(value)); }
  nlohmann::json config() const override;
};

struct RandomUniformOptions {
  double minval = -0.05;
  double maxval = 0.05;
  std::optional<std::uint64_t> seed;
  DESCENT_FIELDS(minval, maxval, seed);
};
class RandomUniform final : public Initializer {
 public:
  explicit RandomUniform(RandomUniformOptions options = {});
  std::string class_name() const override { return "RandomUniform"; }
  void fill(Matrix& out, const Shape& shape, Rng& rng) const override;
  nlohmann::json config() const override;
  const RandomUniformOptions& options() const { return options_; }

 private:
  RandomUniformOptions options_;
};

struct RandomNormalOptions {
  double mean = 0.0;
  double stddev = 0.05;
  std::optional<std::uint64_t> seed;
  DESCENT_FIELDS(mean, stddev, seed);
};
/// Normal(mean, stddev); TruncatedNormal redraws values more than 2 stddev from the mean, as TensorFlow does.
class RandomNormal : public Initializer {
 public:
  explicit RandomNormal(RandomNormalOptions options = {}) : RandomNormal(options, "RandomNormal") {}
  std::string class_name() const override { return "RandomNormal"; }
  void fill(Matrix& out, const Shape& shape, Rng& rng) const override;
  nlohmann::json config() const override;
  const RandomNormalOptions& options() const { return options_; }

 protected:
  /// `name` is the class name for messages: class_name() cannot dispatch to a subclass inside a constructor.
  RandomNormal(RandomNormalOptions options, const char* name);
  virtual bool truncated() const { return false; }
  RandomNormalOptions options_;
};
class TruncatedNormal final : public RandomNormal {
 public:
  explicit TruncatedNormal(RandomNormalOptions options = {}) : RandomNormal(options, "TruncatedNormal") {}
  std::string class_name() const override { return "TruncatedNormal"; }

 protected:
  bool truncated() const override { return true; }
};

struct VarianceScalingOptions {
  double scale = 1.0;
  std::string mode = "fan_in";                    ///< fan_in, fan_out, fan_avg
  std::string distribution = "truncated_normal";  ///< truncated_normal ("normal"), untruncated_normal, uniform
  std::optional<std::uint64_t> seed;
  DESCENT_FIELDS(scale, mode, distribution, seed);
};
/// Keras VarianceScaling: s = scale / max(1, fan); uniform on ±sqrt(3 s), or a normal with stddev sqrt(s)
/// (divided by 0.87962566103423978 when truncated at 2 stddev, to restore the variance truncation removes).
class VarianceScaling : public Initializer {
 public:
  explicit VarianceScaling(VarianceScalingOptions options = {});
  std::string class_name() const override { return "VarianceScaling"; }
  void fill(Matrix& out, const Shape& shape, Rng& rng) const override;
  nlohmann::json config() const override;
  const VarianceScalingOptions& options() const { return options_; }

 protected:
  VarianceScalingOptions options_;
};

/// The named special cases of VarianceScaling; their config is only {"seed"}.
class NamedVarianceScaling : public VarianceScaling {
 public:
  NamedVarianceScaling(std::string class_name, double scale, std::string mode, std::string distribution,
                       std::optional<std::uint64_t> seed);
  std::string class_name() const override { return class_name_; }
  nlohmann::json config() const override;

 private:
  std::string class_name_;
};

struct SeedOptions {
  std::optional<std::uint64_t> seed;
  DESCENT_FIELDS(seed);
};
struct GlorotUniform final : NamedVarianceScaling {
  explicit GlorotUniform(SeedOptions o = {}) : NamedVarianceScaling("GlorotUniform", 1, "fan_avg", "uniform", o.seed) {}
};
struct GlorotNormal final : NamedVarianceScaling {
  explicit GlorotNormal(SeedOptions o = {})
      : NamedVarianceScaling("GlorotNormal", 1, "fan_avg", "truncated_normal", o.seed) {}
};
struct HeUniform final : NamedVarianceScaling {
  explicit HeUniform(SeedOptions o = {}) : NamedVarianceScaling("HeUniform", 2, "fan_in", "uniform", o.seed) {}
};
struct HeNormal final : NamedVarianceScaling {
  explicit HeNormal(SeedOptions o = {}) : NamedVarianceScaling("HeNormal", 2, "fan_in", "truncated_normal", o.seed) {}
};
struct LecunUniform final : NamedVarianceScaling {
  explicit LecunUniform(SeedOptions o = {}) : NamedVarianceScaling("LecunUniform", 1, "fan_in", "uniform", o.seed) {}
};
struct LecunNormal final : NamedVarianceScaling {
  explicit LecunNormal(SeedOptions o = {})
      : NamedVarianceScaling("LecunNormal", 1, "fan_in", "truncated_normal", o.seed) {}
};

/// A Keras initializer name ("glorot_uniform", "he_normal", ...) or object.
using InitializerId = Identifier<Initializer>;

/// By Keras name, snake_case or class name; throws listing the valid names.
std::shared_ptr<Initializer> get_initializer(const std::string& name);
/// Resolves an identifier: its object, or the registered name.
std::shared_ptr<Initializer> get_initializer(const InitializerId& id);
/// A string literal is a name: without this overload get_initializer("zeros") would be ambiguous.
inline std::shared_ptr<Initializer> get_initializer(const char* name) { return get_initializer(std::string(name)); }
/// From {"class_name", "config"}; `where` names the JSON place in messages.
std::shared_ptr<Initializer> initializer_from_json(const nlohmann::json& object, const std::string& where);
/// Every registered class name.
std::vector<std::string> initializer_names();

/// How an initializer is made from its config (read strictly).
using InitializerFactory = std::function<std::shared_ptr<Initializer>(ConfigReader&)>;
/// Adds an initializer class of the user's, as Keras's register_keras_serializable: configs and saved models naming it
/// then load. `class_name` must be what the class's class_name() returns; `aliases` are its string names
/// ("glorot_uniform"-style). A name already registered is an error. Register before loading, not during.
void register_initializer(const std::string& class_name, std::vector<std::string> aliases, InitializerFactory factory);

}  // namespace descent::nn
