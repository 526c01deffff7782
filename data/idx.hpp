// Reading IDX files, the format of MNIST and Fashion-MNIST, raw or gzipped.
#pragma once

#include <descent/core/tensor.hpp>

#include <string>
#include <vector>

namespace descent::data {

/// The most values one IDX file may hold: 2^30 (4 GiB as float). A header beyond it is an Error before anything is
/// allocated.
inline constexpr Index kMaxIdxElements = Index{1} << 30;

/// An IDX file: its dimensions as the header gives them, and its values with the first dimension as rows and the
/// others flattened in row-major order as columns, so 60000 images of 28 x 28 are 60000 x 784 (one row per sample,
/// the pixels of each row in reading order) and 60000 labels are 60000 x 1.
struct Idx {
  int type = 0x08;          ///< the type byte: 0x08 unsigned byte ... 0x0E float64
  std::vector<Index> dims;  ///< outermost first, as in the header
  Matrix values;            ///< dims[0] x (the product of the others); a 1-dimensional file is one column
};

/// Reads an IDX file (http://yann.lecun.com/exdb/mnist/, "THE IDX FILE FORMAT"): the bytes 0, 0, a type byte and
/// the number of dimensions, one big-endian uint32 per dimension, then the values in row-major order, big-endian.
/// Types: 0x08 unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64; every value
/// becomes a Scalar (an int32 beyond 2^24 rounds to the nearest float in float builds). A file that starts with the
/// gzip magic bytes (1f 8b), such as MNIST's .gz files, is read through zlib.
/// Errors name the file: a missing or unreadable file (with the system's reason), a bad magic number, an unknown
/// type byte, no dimensions, more than kMaxIdxElements values, fewer data bytes than the dimensions need or bytes
/// after them (both with the counts), a corrupt or cut-short gzip stream, a NaN or infinite value, and (in float
/// builds) a float64 value beyond float's range. The header is checked against the file's size (or, gzipped, against the bytes actually
/// decompressed) before the values are allocated, so a lying header costs no memory.
Idx read_idx(const std::string& path);

/// The name of an IDX type byte, as errors print it: "unsigned byte" (0x08), "signed byte" (0x09), "int16" (0x0B),
/// "int32" (0x0C), "float32" (0x0D), "float64" (0x0E); "unknown type 0x07" for any other.
std::string idx_type_name(int type);

}  // namespace descent::data
