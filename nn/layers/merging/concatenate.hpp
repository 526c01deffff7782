// Concatenate: joins a list of tensors along one axis (keras.layers.Concatenate).
#pragma once

#include "merge.hpp"

#include <memory>
#include <string>
#include <vector>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

struct ConcatenateOptions {
  /// Keras's axis, counting the batch axis as 0: -1 (the default) is the last, 1 the first of a sample.
  int axis = -1;
  std::string name;
};

/// y = [x_1, ..., x_K] along `axis`; the inputs' other dimensions must be equal. Backward splits dy the same way.
class Concatenate : public Merge {
 public:
  explicit Concatenate(ConcatenateOptions options = {});
  static std::unique_ptr<Layer> from_config(ConfigReader& r);

  std::string class_name() const override { return "Concatenate"; }
  Shape compute_output_shape(const std::vector<Shape>& shapes) const override;
  using Merge::compute_output_shape;
  using Merge::forward;
  const Matrix& forward(const std::vector<const Matrix*>& xs, bool training) override;
  const std::vector<const Matrix*>& backward_list(const Matrix& dy) override;
  nlohmann::json config() const override;

 private:
  /// The sample axis (0-based, without the batch) `axis` names for samples of rank `rank`; an Error if none.
  std::size_t sample_axis(std::size_t rank) const;

  ConcatenateOptions options_;
  Index outer_ = 0;            // the product of the dimensions before the axis
  std::vector<Index> blocks_;  // per input: the values each outer step takes from it
  Matrix y_;
  std::vector<Matrix> dx_;
  std::vector<const Matrix*> grads_;
};

}  // namespace descent::nn
