// What fit, evaluate and predict read: a CSV file (--data), or IDX images (--data) and their labels (--labels).
#pragma once

#include "preprocessing.hpp"

#include <descent/core/shape.hpp>
#include <descent/data/text_table.hpp>
#include <descent/models/sequential.hpp>

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace descent::cli {

/// The options that name a command's samples.
struct DataArgs {
  std::string data;             ///< --data: a CSV file, or IDX images (told apart by their first bytes)
  std::string label;            ///< --label: a CSV file's label column, by name or index
  std::string labels;           ///< --labels: the IDX labels of IDX images
  std::string delimiter;        ///< --delimiter, for a CSV file
  std::optional<Index> limit;   ///< --limit: only the first N samples
};

/// Registers --data (required; `data_help` says what the command reads), --label (`label_help`), --labels (unless
/// `with_labels` is false: predict needs none), --limit and --delimiter.
void add_data_options(CLI::App& command, DataArgs& args, const std::string& data_help, const std::string& label_help,
                      bool with_labels = true);

/// A command's samples: a CSV file's rows, or IDX images and their labels.
struct Samples {
  /// CSV: the file. IDX: the labels alone, one column "label" with a row per image and no line numbers (no columns
  /// without --labels).
  data::TextTable table;
  /// IDX: one image a row, its pixels in reading order (channels last), as read_idx gives them; empty for a CSV.
  Matrix images;
  /// IDX: one image's shape as the file gives it, (28, 28) for Fashion-MNIST; empty for a CSV.
  Shape image_shape;
  std::string images_path;  ///< IDX: --data

  bool idx() const { return !image_shape.empty(); }
  Index size() const { return idx() ? images.rows() : table.size(); }
  /// "600 rows of train.csv" or "600 images of train-images-idx3-ubyte.gz".
  std::string describe() const;
};

/// Whether the file starts as an IDX file does (00 00) or as a gzipped file (1f 8b): then --data is IDX images. A
/// CSV file can do neither (it holds no NUL bytes, and descent reads it uncompressed).
bool looks_like_idx(const std::string& path);

/// Reads --data and --labels (their paths already checked). IDX images (looks_like_idx) are an IDX file of N
/// images of any shape (N x 28 x 28); their labels, required when `labels_required`, an IDX file of N finite
/// numbers. Before reading, --label with IDX images, --labels with a CSV file, a missing --labels and a --limit
/// below 1 are Errors; after, so are a labels file of another shape or count, images of one dimension (a labels
/// file given as --data) and no images, naming the files. --limit keeps the first N samples (all, when there are
/// fewer).
Samples read_samples(const DataArgs& args, bool labels_required);

/// The label column: for a CSV file, the column --label `label` names (by name or index; -1 when "", which is an
/// Error saying --label is required when `required`); for IDX images the labels' one column (-1 without --labels).
Index label_column(const Samples& samples, const std::string& label, bool required);

/// The feature columns of IDX images of `size` pixels: "pixel1" ... "pixel<size>", as Kaggle's Fashion-MNIST CSV
/// files name them, so a model trained on IDX images reads such a CSV file by name.
std::vector<std::string> pixel_columns(Index size);

/// Checks that the images fit a model taking samples of `input`: the same shape, give or take a last (channel) axis
/// of 1 ((28, 28) images for a (28, 28, 1) input), or flattened ((784,)). Otherwise an Error names the model's
/// shape and the images' (with their sizes); `model_source` names the model.
void check_image_shape(const Samples& samples, const Shape& input, const std::string& model_source);

/// The model's input rows from the samples, as fit gave them: a CSV's feature columns found by name (for a model
/// without descent.json, every column but `label_column`, use_columns), or the images' pixels in order, which must
/// fit the model's input shape (check_image_shape) and count; then scaled as in training.
Matrix model_inputs(Preprocessing& prep, const nn::Sequential& model, const std::string& model_source,
                    const Samples& samples, Index label_column);

}  // namespace descent::cli
