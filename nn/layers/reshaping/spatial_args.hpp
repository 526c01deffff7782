// The forms Keras's padding and cropping arguments take: an int, a pair, or a pair of pairs.
#pragma once

#include <descent/core/tensor.hpp>

namespace descent::nn {

/// Values added (padding) or removed (cropping) at the start and at the end of one axis: n is (n, n), {a, b} is
/// (a, b), as Keras's int or (left, right) tuple.
struct Margins {
  Index before = 0;
  Index after = 0;

  Margins(Index both = 0) : before(both), after(both) {}
  Margins(Index before_axis, Index after_axis) : before(before_axis), after(after_axis) {}
  Index total() const { return before + after; }
  friend bool operator==(const Margins&, const Margins&) = default;
};

/// Margins of the height and width axes: n is ((n, n), (n, n)); {h, w} is ((h, h), (w, w)); {{top, bottom}, {left,
/// right}} gives all four, as Keras's padding and cropping of 2-D layers.
struct Margins2D {
  Margins height;
  Margins width;

  Margins2D(Index all = 0) : height(all), width(all) {}
  Margins2D(Index symmetric_height, Index symmetric_width) : height(symmetric_height), width(symmetric_width) {}
  Margins2D(Margins height_margins, Margins width_margins) : height(height_margins), width(width_margins) {}
  friend bool operator==(const Margins2D&, const Margins2D&) = default;
};

}  // namespace descent::nn
