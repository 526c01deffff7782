// MarginLayer: what ZeroPadding1D / 2D and Cropping1D / 2D share: margins added to or removed from a sample's
// spatial axes, and the window copy that does either.
#pragma once

#include "spatial_args.hpp"

#include <descent/nn/layer.hpp>

#include <string>

namespace descent::nn {

/// A sample is an image (height, width, channels), a 1-D layer's (steps, features) one of width 1. Padding writes
/// the input into the middle of a zeroed output, its backward reads that window of dy; cropping reads a window of
/// the input, its backward writes dy into the middle of a zeroed dx. The zeroed buffer is cleared only when the
/// batch size changes: nothing else ever writes its margins.
class MarginLayer : public Layer {
 public:
  /// The input's shape with the margins applied to its spatial axes; an Error naming the layer and the shapes when
  /// the rank is not the layer's or cropping leaves nothing.
  Shape compute_output_shape(const Shape& input_shape) const override;
  const Matrix& forward(const Matrix& x, bool training) override;
  const Matrix& backward(const Matrix& dy) override;

 protected:
  enum class Kind { pad, crop };
  /// `layer` and `option` name the class and its argument in messages ("ZeroPadding2D", "padding"); `rank` is the
  /// sample rank the class takes (2 for 1-D layers, whose margins are on steps; 3 for 2-D ones), `axes` its names.
  MarginLayer(Kind kind, const Margins2D& margins, const char* layer, const char* option, std::size_t rank,
              const char* axes);
  void build_weights(const Shape& input_shape, Rng& rng) override;

  /// The margins as Keras writes them: [a, b] for 1-D layers, [[top, bottom], [left, right]] for 2-D ones.
  nlohmann::json margins_json() const;

 private:
  struct Image {
    Index height, width, channels;
  };
  Image image_of(const Shape& input_shape) const;
  Image output_of(const Image& in, const Shape& input_shape) const;
  std::string margins_text() const;

  Kind kind_;
  Margins2D margins_;
  const char* option_;
  std::size_t rank_;
  const char* axes_;
  Image in_{}, out_{};  // of the built input shape
  Matrix zeroed_;       // y (padding) or dx (cropping): margins stay zero
  Matrix copied_;       // dx (padding) or y (cropping): every value written each call
  Index rows_ = 0;      // of the last forward, to check dy
  Matrix none_;         // stays empty: backward's result when no input gradient is needed
};

}  // namespace descent::nn
