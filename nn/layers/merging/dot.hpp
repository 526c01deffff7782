// Dot: the dot product of two tensors along one axis of each, sample by sample (keras.layers.Dot).
#pragma once

#include "merge.hpp"

#include <memory>
#include <string>
#include <vector>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// Keras's `axes`: one axis for both inputs (Dot(1)) or one for each (Dot({1, 2})). Axes count the batch axis as
/// 0, as Keras does: 1 is a sample's first axis and -1 its last. A negative axis counts from the end of each input.
struct DotAxes {
  DotAxes(int both) : first(both), second(both) {}
  DotAxes(int first, int second) : first(first), second(second), pair(true) {}

  int first, second;
  /// Given as a pair: the config writes [first, second], else one integer, as Keras writes what it was given.
  bool pair = false;
};

struct DotOptions {
  /// L2-normalize each input along its dot axis first, x / max(|x|, 1e-7), so that the output is a cosine.
  bool normalize = false;
  std::string name;
};

/// y = sum over k of x1[..., k, ...] * x2[..., k, ...], k running along axes.first of x1 and axes.second of x2,
/// which must have the same size. The output's axes are x1's other axes, then x2's; when both inputs have one axis
/// the output is (1,), as Keras's (None, 1). Inputs of any rank.
///   nn::Dot(1)({a, b})                          // (None, d), (None, d) -> (None, 1)
///   nn::Dot(2)({q, k})                          // (None, m, d), (None, n, d) -> (None, m, n)
///   nn::Dot({1, 2}, {.normalize = true})({x, y})  // (None, d, m), (None, n, d) -> (None, m, n), cosines
class Dot : public Merge {
 public:
  explicit Dot(DotAxes axes, DotOptions options = {});
  /// From a Keras config: "axes" an integer or a list of two, "normalize" a bool.
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "Dot"; }
  Shape compute_output_shape(const std::vector<Shape>& shapes) const override;
  using Merge::compute_output_shape;
  using Merge::forward;
  const Matrix& forward(const std::vector<const Matrix*>& xs, bool training) override;
  const std::vector<const Matrix*>& backward_list(const Matrix& dy) override;
  nlohmann::json config() const override;

  const DotAxes& axes() const { return axes_; }
  const DotOptions& options() const { return options_; }

 private:
  /// One input seen as (outer, depth, inner): the product runs along depth, over outer * inner rows.
  struct Operand {
    Index outer = 1, depth = 1, inner = 1;
    std::vector<Index> gather;  // value j of the (rows, depth) form <- value gather[j] of the sample (empty: same)
    Matrix form;                // the last forward's inputs as (rows, depth) matrices, normalized if asked
    Matrix norm;                // with normalize: per sample and row of the form, |x| before normalizing
    Matrix dform, dx;
  };

  /// The 0-based sample axis `axis` names for input `which` (0 or 1) among `shapes`; an Error if none.
  std::size_t sample_axis(int axis, int which, const std::vector<Shape>& shapes) const;
  void prepare(Operand& op, const Shape& shape, std::size_t axis);
  void to_form(Operand& op, const Matrix& x);
  void from_form(Operand& op);

  DotAxes axes_;
  DotOptions options_;
  Operand ops_[2];
  std::vector<Shape> prepared_for_;  // the input shapes ops_ describe
  Matrix y_;
  std::vector<const Matrix*> grads_;
};

}  // namespace descent::nn
