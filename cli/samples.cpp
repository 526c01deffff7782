// Reading a command's samples from a CSV file or from IDX files, and fitting IDX images to a model's input shape.
#include "samples.hpp"

#include "common.hpp"

#include <descent/core/error.hpp>
#include <descent/data/idx.hpp>

#include <charconv>
#include <cmath>
#include <fstream>

namespace descent::cli {
namespace {

// One IDX value as a label cell: integers as integers ("7"), anything else in the shortest form that reads back.
std::string label_text(Scalar value) {
  if (std::isfinite(value) && std::floor(value) == value && std::abs(value) < Scalar(1e15))
    return std::to_string(static_cast<long long>(value));
  char text[64];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return std::string(text, end);
}

std::string dims_text(const std::vector<Index>& dims) {
  std::string text;
  for (Index d : dims) text += (text.empty() ? "" : " x ") + std::to_string(d);
  return text;
}

// The shape without a last axis of 1: (28, 28, 1) and (28, 28) are the same grey image.
Shape without_channel_of_one(const Shape& shape) {
  std::vector<Index> dims = shape.dims();
  if (dims.size() > 1 && dims.back() == 1) dims.pop_back();
  return Shape(std::move(dims));
}

Samples read_images(const DataArgs& a) {
  Samples s;
  s.images_path = a.data;
  data::Idx images = data::read_idx(a.data);
  check_at(images.dims.size() >= 2, a.data, "holds ", images.dims[0], " values of one dimension (labels?); ",
           "expected images, an IDX file of dimensions N x height x width [x channels]. Give the images as --data ",
           "and their labels as --labels.");
  check_at(images.dims[0] > 0 && images.values.cols() > 0, a.data, "holds no images (dimensions ",
           dims_text(images.dims), "); expected at least one.");
  s.image_shape = Shape(std::vector<Index>(images.dims.begin() + 1, images.dims.end()));
  s.images = std::move(images.values);
  if (!a.labels.empty()) {
    const data::Idx labels = data::read_idx(a.labels);
    check_at(labels.dims.size() == 1, a.labels, "expected one label per image (an IDX file of dimensions N); ",
             "received dimensions ", dims_text(labels.dims), " of ", data::idx_type_name(labels.type),
             ". Give the images as --data and their labels as --labels.");
    check_at(labels.dims[0] == s.images.rows(), a.labels, labels.dims[0], " labels for the ", s.images.rows(),
             " images of ", a.data, "; expected one label per image.");
    s.table.path = a.labels;
    s.table.columns = {"label"};
    s.table.rows.reserve(static_cast<std::size_t>(labels.values.rows()));
    for (Index i = 0; i < labels.values.rows(); ++i)  // finite: read_idx refuses NaN and infinity
      s.table.rows.push_back({label_text(labels.values(i, 0))});
  }
  if (a.limit && *a.limit < s.images.rows()) {
    s.images.conservativeResize(*a.limit, s.images.cols());
    if (!s.table.rows.empty()) s.table.rows.resize(static_cast<std::size_t>(*a.limit));
  }
  return s;
}

}  // namespace

void add_data_options(CLI::App& c, DataArgs& a, const std::string& data_help, const std::string& label_help,
                      bool with_labels) {
  c.add_option("--data", a.data, data_help)->required();
  c.add_option("--label", a.label, label_help);
  if (with_labels)
    c.add_option("--labels", a.labels, "With IDX images as --data: the IDX file of their labels "
                                       "(train-labels-idx1-ubyte.gz)");
  c.add_option("--limit", a.limit, "Read only the first N samples (rows or images) of --data");
  add_delimiter_option(c, a.delimiter);
}

std::string Samples::describe() const {
  return str(size(), idx() ? (size() == 1 ? " image of " : " images of ") : (size() == 1 ? " row of " : " rows of "),
             idx() ? images_path : table.path);
}

bool looks_like_idx(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char magic[2] = {1, 1};
  in.read(reinterpret_cast<char*>(magic), 2);
  return in.gcount() == 2 && ((magic[0] == 0 && magic[1] == 0) || (magic[0] == 0x1f && magic[1] == 0x8b));
}

Samples read_samples(const DataArgs& a, bool labels_required) {
  // The options are checked against the kind of file before the file is read.
  check(!a.limit || *a.limit > 0, "--limit: expected a number of samples >= 1; received ", a.limit.value_or(0), ".");
  if (looks_like_idx(a.data)) {
    check(a.label.empty(), "--label names a CSV column, but --data ", a.data, " holds IDX images; expected their ",
          "labels as an IDX file with --labels.");
    check(!labels_required || !a.labels.empty(), "--labels is required for IDX images (--data ", a.data, "): the ",
          "IDX file of their labels, such as train-labels-idx1-ubyte.gz.");
    return read_images(a);
  }
  check(a.labels.empty(), "--labels: names the IDX labels of IDX images, but --data ", a.data, " is a CSV file; ",
        "expected its label column named with --label.");
  Samples s;
  s.table = data::read_text_table(a.data, parse_delimiter(a.delimiter));
  if (a.limit && *a.limit < s.table.size()) {
    s.table.rows.resize(static_cast<std::size_t>(*a.limit));
    s.table.lines.resize(static_cast<std::size_t>(*a.limit));
  }
  return s;
}

Index label_column(const Samples& samples, const std::string& label, bool required) {
  if (samples.idx()) return samples.table.columns.empty() ? -1 : 0;  // read_samples refused a --label
  if (label.empty()) {
    check(!required, "--label is required for a CSV file: the label column's name or 0-based index.");
    return -1;
  }
  return samples.table.column(label, "label column");
}

std::vector<std::string> pixel_columns(Index size) {
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(size));
  for (Index i = 1; i <= size; ++i) names.push_back("pixel" + std::to_string(i));
  return names;
}

void check_image_shape(const Samples& samples, const Shape& input, const std::string& model_source) {
  const Shape& image = samples.image_shape;
  const bool fits = without_channel_of_one(input) == without_channel_of_one(image) ||
                    (input.rank() == 1 && input[0] == image.size());
  check(fits, model_source, ": the model's input shape ", input, " (", input.size(), " values per sample) does not ",
        "fit the images of ", samples.images_path, ", each ", image, " (", image.size(), " values). Expected images ",
        "of the model's shape, give or take a last axis of 1 (channels), or a flat input of the images' size.");
}

Matrix model_inputs(Preprocessing& prep, const nn::Sequential& model, const std::string& model_source,
                    const Samples& samples, Index label_column) {
  if (!samples.idx()) {
    if (prep.inferred) use_columns(prep, model, model_source, samples.table, label_column);
    return prep.features(samples.table);
  }
  if (prep.inferred) {
    prep.feature_columns = pixel_columns(samples.images.cols());
    prep.label_column = "label";
  }
  // The model takes as many values as its descent.json has features (check_matches), so the shape settles both.
  check_image_shape(samples, model.input_shape(), model_source);
  return prep.scale(samples.images);
}

}  // namespace descent::cli
