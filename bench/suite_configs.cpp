// Synthetic data for the suite: the same for Descent and the speed-of-light loop.
#include "suite_configs.hpp"

#include <algorithm>

namespace bench {

const Config& config(const std::string& name) {
  std::string names;
  for (const Config& c : configs()) {
    if (c.name != name) {
      names += " " + c.name;
      continue;
    }
    // The flattened convolutions feed the first Dense: a typo in either list would otherwise surface as a shape
    // error in one implementation only.
    if (c.convnet() && c.conv_shapes().back().outputs() != c.widths.front())
      throw descent::Error(c.name + ": widths.front() must be the last convolution's flattened output");
    for (const ConvShape& s : c.conv_shapes())
      if (s.conv.kind == ConvKind::depthwise && s.filters != s.channels)
        throw descent::Error(c.name + ": a depthwise convolution's filters must equal its input's channels");
    return c;
  }
  throw descent::Error("unknown configuration \"" + name + "\"; expected one of" + names);
}

descent::Dataset make_data(const Config& c) {
  descent::Rng rng(7);
  const Index in = c.inputs(), out = c.widths.back();
  descent::Dataset d{Matrix(c.samples, in), Matrix::Zero(c.samples, out)};
  for (Index i = 0; i < d.x.size(); ++i) d.x.data()[i] = static_cast<descent::Scalar>(descent::standard_normal(rng));
  Matrix w(in, out);
  for (Index i = 0; i < w.size(); ++i) w.data()[i] = static_cast<descent::Scalar>(descent::standard_normal(rng));
  const Matrix score = d.x * w;
  for (Index i = 0; i < c.samples; ++i) {
    if (out == 1) {
      d.y(i, 0) = score(i, 0) > 0 ? 1 : 0;
    } else {
      Index k;
      score.row(i).maxCoeff(&k);
      d.y(i, k) = 1;
    }
  }
  return d;
}

}  // namespace bench
