// The IDX reader: the header checked against the bytes there are before anything is allocated, gzip through zlib.
#include "idx.hpp"

#include <descent/core/error.hpp>

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace descent::data {
namespace {

struct Type {
  int byte;
  const char* name;
  std::size_t size;
};
constexpr Type kTypes[] = {{0x08, "unsigned byte", 1}, {0x09, "signed byte", 1}, {0x0B, "int16", 2},
                           {0x0C, "int32", 4},         {0x0D, "float32", 4},    {0x0E, "float64", 8}};

std::string hex(int byte) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", static_cast<unsigned>(byte));
  return text;
}

std::string dims_text(const std::vector<Index>& dims) {
  std::string text;
  for (Index d : dims) text += (text.empty() ? "" : " x ") + std::to_string(d);
  return text;
}

std::uint64_t big_endian(const unsigned char* p, std::size_t size) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < size; ++i) value = value << 8 | p[i];
  return value;
}

// The bytes of a file, read as they are or, when it starts with the gzip magic 1f 8b, decompressed through zlib.
// A read error, a corrupt gzip stream or one cut short throws; read() returns fewer bytes than asked only at the end.
class ByteSource {
 public:
  explicit ByteSource(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    int error = errno;
    check_at(fd_ >= 0, path_, "cannot open the file for reading: ", errno_text(error), ".");
    struct stat info {};
    if (::fstat(fd_, &info) != 0) {
      error = errno;
      close();
      fail_at(path_, str("cannot read the file's size: ", errno_text(error), "."));
    }
    if (S_ISDIR(info.st_mode)) {
      close();
      fail_at(path_, "is a directory; expected an IDX file.");
    }
    regular_ = S_ISREG(info.st_mode);
    size_ = regular_ ? static_cast<std::uint64_t>(info.st_size) : 0;
    unsigned char magic[2] = {0, 0};
    const ssize_t got = ::pread(fd_, magic, 2, 0);
    if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
      gz_ = ::gzdopen(fd_, "rb");  // owns fd_ from here: gzclose closes it
      if (gz_ == nullptr) {
        close();
        fail_at(path_, "cannot start zlib to read the gzipped file (out of memory).");
      }
      ::gzbuffer(gz_, 1 << 17);
    }
  }
  ~ByteSource() { close(); }
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  bool gzipped() const { return gz_ != nullptr; }
  /// Whether the file is a regular file, whose size is known (not a pipe or a device).
  bool regular() const { return regular_; }
  /// The size of the file on disk; for a gzipped file, its compressed size.
  std::uint64_t file_size() const { return size_; }

  /// Reads up to `n` bytes into `out`; fewer only at the end of the (decompressed) data.
  std::size_t read(unsigned char* out, std::size_t n) {
    std::size_t total = 0;
    while (total < n) {
      const std::size_t want = std::min<std::size_t>(n - total, INT_MAX);
      const long got = gz_ ? read_gzip(out + total, want) : read_raw(out + total, want);
      if (got == 0) break;
      total += static_cast<std::size_t>(got);
    }
    return total;
  }

 private:
  long read_raw(unsigned char* out, std::size_t n) {
    ssize_t got;
    do got = ::read(fd_, out, n);
    while (got < 0 && errno == EINTR);
    const int error = errno;
    check_at(got >= 0, path_, "reading the file failed: ", errno_text(error), ".");
    return static_cast<long>(got);
  }

  long read_gzip(unsigned char* out, std::size_t n) {
    const int got = ::gzread(gz_, out, static_cast<unsigned>(n));
    const int error = errno;
    int code = Z_OK;
    std::string message = ::gzerror(gz_, &code);
    // zlib prefixes its message with the name it knows the file by, "<fd:3>: " when opened by descriptor.
    if (message.starts_with("<fd:") && message.find(": ") != std::string::npos)
      message.erase(0, message.find(": ") + 2);
    if (got < 0 && code == Z_ERRNO) fail_at(path_, str("reading the file failed: ", errno_text(error), "."));
    // Z_BUF_ERROR: the input ended inside the gzip stream (zlib's "unexpected end of file").
    check_at(code != Z_BUF_ERROR, path_, "the gzip stream is cut short (zlib: ", message,
             "); expected a complete gzip file.");
    check_at(got >= 0, path_, "corrupt gzip data (zlib: ", message, ").");
    return got;
  }

  void close() {
    if (gz_ != nullptr) {
      ::gzclose(gz_);
    } else if (fd_ >= 0) {
      ::close(fd_);
    }
    gz_ = nullptr;
    fd_ = -1;
  }

  std::string path_;
  int fd_ = -1;
  gzFile gz_ = nullptr;
  bool regular_ = false;
  std::uint64_t size_ = 0;
};

// Reads exactly `n` bytes of the header; `what` names them for the error when the file ends first.
void read_header(ByteSource& in, const std::string& path, unsigned char* out, std::size_t n, std::size_t offset,
                 const std::string& what) {
  const std::size_t got = in.read(out, n);
  check_at(got == n, path, "the file ends inside the IDX header: expected ", what, " (", n, " bytes at offset ",
           offset, "); received ", got, " bytes", in.gzipped() ? " of decompressed data." : ".");
}

// Before anything is allocated, a regular file read as it is: its size must be the header's and the data's.
void check_file_size(ByteSource& in, const std::string& path, std::uint64_t header_bytes, std::uint64_t expected,
                     const std::string& need) {
  const std::uint64_t size = in.file_size();
  const std::uint64_t available = size > header_bytes ? size - header_bytes : 0;
  check_at(available >= expected, path, "the data is truncated: ", need, "; the file holds ", available, ".");
  check_at(available == expected, path, "trailing bytes: ", need, "; the file holds ", available, " (",
           available - expected, " more); expected it to end there.");
}

// The data bytes, read into a buffer that grows as the bytes arrive: where the size is not known beforehand (a
// gzipped file, a pipe), a header announcing more than the stream holds allocates at most twice what is there.
std::vector<unsigned char> read_data(ByteSource& in, const std::string& path, std::uint64_t expected,
                                     const std::string& need) {
  constexpr std::uint64_t kFirstChunk = std::uint64_t{1} << 24;
  const bool size_checked = !in.gzipped() && in.regular();  // check_file_size has compared it with the file
  std::vector<unsigned char> bytes(size_checked ? expected : std::min(expected, kFirstChunk));
  std::uint64_t have = 0;
  while (have < expected) {
    if (have == bytes.size()) bytes.resize(std::min<std::uint64_t>(expected, 2 * bytes.size()));
    const std::size_t got = in.read(bytes.data() + have, bytes.size() - have);
    if (got == 0) break;
    have += got;
  }
  const char* file = in.gzipped() ? "the decompressed file" : "the file";
  check_at(have == expected, path, "the data is truncated: ", need, "; ", file, " holds ", have, ".");
  unsigned char extra = 0;
  check_at(in.read(&extra, 1) == 0, path, "trailing bytes: ", need, ", and ", file,
           " holds more; expected it to end there.");
  return bytes;
}

// NaN and infinity are no feature values, as in the CSV reader: they would poison training without a word.
void check_finite(const std::string& path, double value, std::size_t index) {
  check_at(std::isfinite(value), path, "value ", value, " at index ", index, " is not a finite number.");
}

// The values, big-endian in `bytes`, as Scalars.
void convert(const std::string& path, const Type& type, const std::vector<unsigned char>& bytes, Matrix& values) {
  Scalar* out = values.data();
  const unsigned char* in = bytes.data();
  const std::size_t n = static_cast<std::size_t>(values.size());
  switch (type.byte) {
    case 0x08:
      for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<Scalar>(in[i]);
      break;
    case 0x09:
      for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<Scalar>(static_cast<std::int8_t>(in[i]));
      break;
    case 0x0B:
      for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<Scalar>(static_cast<std::int16_t>(big_endian(in + 2 * i, 2)));
      break;
    case 0x0C:
      for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<Scalar>(static_cast<std::int32_t>(big_endian(in + 4 * i, 4)));
      break;
    case 0x0D:
      for (std::size_t i = 0; i < n; ++i) {
        const float value = std::bit_cast<float>(static_cast<std::uint32_t>(big_endian(in + 4 * i, 4)));
        check_finite(path, value, i);
        out[i] = static_cast<Scalar>(value);
      }
      break;
    case 0x0E:
      for (std::size_t i = 0; i < n; ++i) {
        const double value = std::bit_cast<double>(big_endian(in + 8 * i, 8));
        check_finite(path, value, i);
        // Converting a double beyond float's range is undefined behaviour, so it is an error here.
        check_at(std::abs(value) <= double(std::numeric_limits<Scalar>::max()), path, "value ", value, " at index ",
                 i, " is beyond the range of Scalar (float); build with -DDESCENT_DOUBLE=ON to read it.");
        out[i] = static_cast<Scalar>(value);
      }
      break;
  }
}

}  // namespace

std::string idx_type_name(int type) {
  for (const Type& t : kTypes)
    if (t.byte == type) return t.name;
  return "unknown type " + hex(type);
}

Idx read_idx(const std::string& path) {
  ByteSource in(path);

  unsigned char magic[4];
  read_header(in, path, magic, 4, 0, "the magic number 00 00 <type> <dimensions>");
  if (magic[0] != 0 || magic[1] != 0) {
    // Only a stream that cannot be read twice (a pipe) reaches here with the gzip magic.
    const bool gzip = magic[0] == 0x1f && magic[1] == 0x8b;
    fail_at(path, str("bad magic number ", hex(magic[0]), " ", hex(magic[1]), " ", hex(magic[2]), " ", hex(magic[3]),
                      "; expected an IDX file, which starts 0x00 0x00 <type> <dimensions>",
                      gzip ? " (gzipped data is read from files, not from pipes)." : "."));
  }
  const Type* type =
      std::find_if(std::begin(kTypes), std::end(kTypes), [&](const Type& t) { return t.byte == magic[2]; });
  if (type == std::end(kTypes)) {
    std::string valid;
    for (const Type& t : kTypes) valid += (valid.empty() ? "" : ", ") + hex(t.byte) + " (" + t.name + ")";
    fail_at(path, str("unknown IDX type byte ", hex(magic[2]), "; expected one of ", valid, "."));
  }
  const std::size_t rank = magic[3];
  check_at(rank > 0, path, "the IDX header gives 0 dimensions; expected at least 1.");

  std::vector<unsigned char> header(4 * rank);
  read_header(in, path, header.data(), header.size(), 4, str(rank, " big-endian uint32 dimension", rank == 1 ? "" : "s"));
  Idx idx;
  idx.type = type->byte;
  for (std::size_t axis = 0; axis < rank; ++axis)
    idx.dims.push_back(static_cast<Index>(big_endian(&header[4 * axis], 4)));

  // Rows are the first dimension, columns the product of the others; neither that product nor the whole may pass
  // kMaxIdxElements (each step of the product is checked, so nothing overflows).
  Index cols = 1;
  bool too_large = false;
  for (std::size_t axis = 1; axis < rank && !too_large; ++axis) {
    too_large = idx.dims[axis] != 0 && cols > kMaxIdxElements / idx.dims[axis];
    if (!too_large) cols *= idx.dims[axis];
  }
  const Index rows = idx.dims[0];
  too_large = too_large || (cols != 0 && rows > kMaxIdxElements / cols);
  check_at(!too_large, path, "the IDX dimensions ", dims_text(idx.dims), " hold more than the 2^30 values ",
           "Descent reads from one file.");

  const std::uint64_t expected = static_cast<std::uint64_t>(rows * cols) * type->size;
  const std::string need = str("the dimensions ", dims_text(idx.dims), " of ", type->name, " need ", expected,
                               " data bytes after the ", 4 + header.size(), "-byte header");
  if (!in.gzipped() && in.regular()) check_file_size(in, path, 4 + header.size(), expected, need);
  const std::vector<unsigned char> bytes = read_data(in, path, expected, need);
  idx.values.resize(rows, cols);
  convert(path, *type, bytes, idx.values);
  return idx;
}

}  // namespace descent::data
