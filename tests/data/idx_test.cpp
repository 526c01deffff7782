// read_idx: hand-made IDX files of every type, raw and gzipped, and every way a file can be wrong.
#include "support/matrices.hpp"
#include "support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <zlib.h>

#include <descent/descent.hpp>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <thread>
#include <type_traits>

using descent::testing::matrix;
using descent::testing::TempDir;

using namespace descent;

namespace {

// The bytes given as numbers, so each test spells its file out byte by byte.
std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

void write_file(const std::string& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary) << contents;
}

// Writes `contents` gzipped, through zlib's own gzip writer.
void write_gzip(const std::string& path, const std::string& contents) {
  gzFile file = gzopen(path.c_str(), "wb");
  REQUIRE(file != nullptr);
  REQUIRE(gzwrite(file, contents.data(), static_cast<unsigned>(contents.size())) == static_cast<int>(contents.size()));
  REQUIRE(gzclose(file) == Z_OK);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// 2 images of 2 x 3 unsigned bytes: magic 00 00 08 03, the dimensions 2, 2, 3, then 12 values.
const std::string kImages = bytes({0x00, 0x00, 0x08, 0x03, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,  //
                                   0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255});
const Matrix kImageValues = matrix({{0, 1, 2, 3, 4, 5}, {250, 251, 252, 253, 254, 255}});

}  // namespace

TEST_CASE("read_idx reads unsigned bytes: the first dimension as rows, the others flattened as columns") {
  TempDir dir("idx");
  write_file(dir / "images.idx", kImages);
  data::Idx idx = data::read_idx(dir / "images.idx");
  CHECK(idx.type == 0x08);
  CHECK(idx.dims == std::vector<Index>{2, 2, 3});
  CHECK(idx.values == kImageValues);

  write_file(dir / "labels.idx", bytes({0x00, 0x00, 0x08, 0x01, 0, 0, 0, 3, 7, 0, 9}));
  data::Idx labels = data::read_idx(dir / "labels.idx");
  CHECK(labels.dims == std::vector<Index>{3});
  CHECK(labels.values == matrix({{7}, {0}, {9}}));
}

TEST_CASE("read_idx reads every IDX type, big-endian") {
  TempDir dir("idx");
  // Each file: 1 x 3 values (dimensions 1, 3).
  auto read = [&](int type, const std::string& data) {
    write_file(dir / "values.idx", bytes({0x00, 0x00, type, 0x02, 0, 0, 0, 1, 0, 0, 0, 3}) + data);
    data::Idx idx = data::read_idx(dir / "values.idx");
    CHECK(idx.type == type);
    CHECK(idx.dims == std::vector<Index>{1, 3});
    return idx.values;
  };
  CHECK(read(0x09, bytes({0xFF, 0x80, 0x7F})) == matrix({{-1, -128, 127}}));
  CHECK(read(0x0B, bytes({0xFF, 0xFE, 0x01, 0x00, 0x80, 0x00})) == matrix({{-2, 256, -32768}}));
  CHECK(read(0x0C, bytes({0x00, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00})) ==
        matrix({{65536, -1, -2147483648.0}}));
  // float32 1.5 is 3FC00000, -10 is C1200000, 2^-10 is 3A800000.
  CHECK(read(0x0D, bytes({0x3F, 0xC0, 0, 0, 0xC1, 0x20, 0, 0, 0x3A, 0x80, 0, 0})) ==
        matrix({{1.5, -10, 0.0009765625}}));
  // float64 pi is 400921FB54442D18, -1 is BFF0000000000000, 0.25 is 3FD0000000000000.
  Matrix doubles = read(0x0E, bytes({0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18, 0xBF, 0xF0, 0, 0, 0, 0, 0, 0,
                                     0x3F, 0xD0, 0, 0, 0, 0, 0, 0}));
  CHECK(doubles == matrix({{3.141592653589793, -1, 0.25}}));
  CHECK(data::idx_type_name(0x0B) == "int16");
  CHECK(data::idx_type_name(0x07) == "unknown type 0x07");
}

TEST_CASE("read_idx reads gzipped files, known by the gzip magic bytes rather than the name") {
  TempDir dir("idx");
  write_gzip(dir / "images.idx.gz", kImages);
  write_gzip(dir / "images-no-suffix", kImages);
  for (const char* name : {"images.idx.gz", "images-no-suffix"}) {
    CAPTURE(name);
    REQUIRE(read_file(dir / name).substr(0, 2) == bytes({0x1F, 0x8B}));
    data::Idx idx = data::read_idx(dir / name);
    CHECK(idx.dims == std::vector<Index>{2, 2, 3});
    CHECK(idx.values == kImageValues);
  }
  // A raw file named .gz is read as it is.
  write_file(dir / "raw.gz", kImages);
  CHECK(data::read_idx(dir / "raw.gz").values == kImageValues);
}

TEST_CASE("read_idx takes a dimension of 0 as no values") {
  TempDir dir("idx");
  write_file(dir / "empty.idx", bytes({0x00, 0x00, 0x08, 0x03, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28}));
  data::Idx idx = data::read_idx(dir / "empty.idx");
  CHECK(idx.dims == std::vector<Index>{0, 28, 28});
  CHECK(idx.values.rows() == 0);
  CHECK(idx.values.cols() == 784);
}

TEST_CASE("read_idx: a missing or unreadable file names the file and the system's reason") {
  TempDir dir("idx");
  const std::string missing = dir / "missing.idx";
  CHECK_THROWS_WITH_AS(data::read_idx(missing),
                       (missing + ": cannot open the file for reading: No such file or directory.").c_str(), Error);
  CHECK_THROWS_WITH_AS(data::read_idx(dir.path.string()),
                       (dir.path.string() + ": is a directory; expected an IDX file.").c_str(), Error);
  if (::geteuid() != 0) {  // root reads any file
    write_file(dir / "secret.idx", kImages);
    std::filesystem::permissions(dir / "secret.idx", std::filesystem::perms::none);
    CHECK_THROWS_WITH_AS(data::read_idx(dir / "secret.idx"),
                         (dir / "secret.idx" + ": cannot open the file for reading: Permission denied.").c_str(),
                         Error);
  }
}

TEST_CASE("read_idx: a header that is not IDX's is an Error naming the file and the bytes") {
  TempDir dir("idx");
  const std::string path = dir / "bad.idx";
  auto error_for = [&](const std::string& contents) {
    write_file(path, contents);
    try {
      data::read_idx(path);
    } catch (const Error& e) {
      CHECK(e.where() == path);
      return std::string(e.what());
    }
    FAIL("no Error for a bad header");
    return std::string();
  };
  CHECK(error_for("") == path +
                             ": the file ends inside the IDX header: expected the magic number 00 00 <type> "
                             "<dimensions> (4 bytes at offset 0); received 0 bytes.");
  CHECK(error_for("a,b\n1,2\n") == path +
                                       ": bad magic number 0x61 0x2C 0x62 0x0A; expected an IDX file, which starts "
                                       "0x00 0x00 <type> <dimensions>.");
  CHECK(error_for(bytes({0x00, 0x00, 0x07, 0x01, 0, 0, 0, 1, 5})) ==
        path +
            ": unknown IDX type byte 0x07; expected one of 0x08 (unsigned byte), 0x09 (signed byte), 0x0B (int16), "
            "0x0C (int32), 0x0D (float32), 0x0E (float64).");
  CHECK(error_for(bytes({0x00, 0x00, 0x08, 0x00, 5})) ==
        path + ": the IDX header gives 0 dimensions; expected at least 1.");
  CHECK(error_for(bytes({0x00, 0x00, 0x08, 0x03, 0, 0, 0, 2, 0, 0})) ==
        path +
            ": the file ends inside the IDX header: expected 3 big-endian uint32 dimensions (12 bytes at offset 4); "
            "received 6 bytes.");
}

TEST_CASE("read_idx: dimensions beyond 2^30 values are an Error, before anything is allocated") {
  TempDir dir("idx");
  const std::string path = dir / "huge.idx";
  // 4294967295^3 overflows 64 bits; 32768 x 32768 x 2 is 2^31 values; 2^30 + 1 in one dimension.
  for (const auto& [header, dims] : std::initializer_list<std::pair<std::string, std::string>>{
           {bytes({0x00, 0x00, 0x08, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}),
            "4294967295 x 4294967295 x 4294967295"},
           {bytes({0x00, 0x00, 0x0D, 0x03, 0, 0, 0x80, 0, 0, 0, 0x80, 0, 0, 0, 0, 2}), "32768 x 32768 x 2"},
           {bytes({0x00, 0x00, 0x08, 0x01, 0x40, 0, 0, 1}), "1073741825"},
           // No rows, but columns of more than 2^30 values.
           {bytes({0x00, 0x00, 0x08, 0x03, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0x40, 1}), "0 x 65536 x 16385"}}) {
    write_file(path, header + bytes({1, 2, 3}));
    CHECK_THROWS_WITH_AS(data::read_idx(path),
                         (path + ": the IDX dimensions " + dims +
                          " hold more than the 2^30 values Descent reads from one file.")
                             .c_str(),
                         Error);
  }
}

TEST_CASE("read_idx: a header announcing more or fewer values than the file holds is an Error with both counts") {
  TempDir dir("idx");
  const std::string path = dir / "images.idx";
  const std::string header = bytes({0x00, 0x00, 0x08, 0x02, 0, 0, 0, 2, 0, 0, 0, 3});  // 2 x 3: 6 data bytes
  const std::string need = path + ": the data is truncated: the dimensions 2 x 3 of unsigned byte need 6 data bytes "
                                  "after the 12-byte header; ";
  write_file(path, header + bytes({1, 2, 3, 4, 5}));
  CHECK_THROWS_WITH_AS(data::read_idx(path), (need + "the file holds 5.").c_str(), Error);
  write_gzip(path, header + bytes({1, 2, 3, 4, 5}));
  CHECK_THROWS_WITH_AS(data::read_idx(path), (need + "the decompressed file holds 5.").c_str(), Error);

  write_file(path, header + bytes({1, 2, 3, 4, 5, 6, 7}));
  CHECK_THROWS_WITH_AS(data::read_idx(path),
                       (path + ": trailing bytes: the dimensions 2 x 3 of unsigned byte need 6 data bytes after the "
                               "12-byte header; the file holds 7 (1 more); expected it to end there.")
                           .c_str(),
                       Error);
  write_gzip(path, header + bytes({1, 2, 3, 4, 5, 6, 7}));
  CHECK_THROWS_WITH_AS(data::read_idx(path),
                       (path + ": trailing bytes: the dimensions 2 x 3 of unsigned byte need 6 data bytes after the "
                               "12-byte header, and the decompressed file holds more; expected it to end there.")
                           .c_str(),
                       Error);

  // int32 takes 4 bytes a value.
  write_file(path, bytes({0x00, 0x00, 0x0C, 0x01, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0}));
  CHECK_THROWS_WITH_AS(data::read_idx(path),
                       (path + ": the data is truncated: the dimensions 3 of int32 need 12 data bytes after the "
                               "8-byte header; the file holds 11.")
                           .c_str(),
                       Error);
  // 2^30 values announced, 3 bytes there: an error, not a 1 GiB allocation.
  const std::string liar = bytes({0x00, 0x00, 0x08, 0x01, 0x40, 0, 0, 0, 1, 2, 3});
  const std::string lie = path + ": the data is truncated: the dimensions 1073741824 of unsigned byte need "
                                 "1073741824 data bytes after the 8-byte header; ";
  write_file(path, liar);
  CHECK_THROWS_WITH_AS(data::read_idx(path), (lie + "the file holds 3.").c_str(), Error);
  write_gzip(path, liar);
  CHECK_THROWS_WITH_AS(data::read_idx(path), (lie + "the decompressed file holds 3.").c_str(), Error);
}

TEST_CASE("read_idx reads a pipe, whose size is not known beforehand, with the same checks") {
  TempDir dir("idx");
  const std::string path = dir / "pipe";
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  auto read_through_pipe = [&](const std::string& contents) {
    std::thread writer([&] { write_file(path, contents); });
    struct Join {
      std::thread& t;
      ~Join() { t.join(); }
    } join{writer};
    return data::read_idx(path);
  };
  CHECK(read_through_pipe(kImages).values == kImageValues);
  // 2^30 values announced, 3 there.
  CHECK_THROWS_WITH_AS(read_through_pipe(bytes({0x00, 0x00, 0x08, 0x01, 0x40, 0, 0, 0, 1, 2, 3})),
                       (path + ": the data is truncated: the dimensions 1073741824 of unsigned byte need 1073741824 "
                               "data bytes after the 8-byte header; the file holds 3.")
                           .c_str(),
                       Error);
}

TEST_CASE("read_idx: a corrupt or cut-short gzip file is an Error naming the file and zlib's reason") {
  TempDir dir("idx");
  const std::string path = dir / "images.idx.gz";
  write_gzip(path, kImages);
  const std::string good = read_file(path);

  // The last 8 bytes of a gzip file are the CRC-32 of the data and its length.
  std::string bad_crc = good;
  bad_crc[bad_crc.size() - 8] = static_cast<char>(bad_crc[bad_crc.size() - 8] ^ 0xFF);
  write_file(path, bad_crc);
  CHECK_THROWS_WITH_AS(data::read_idx(path), (path + ": corrupt gzip data (zlib: incorrect data check).").c_str(),
                       Error);

  // Byte 2 is the compression method; 8 (deflate) is the only one.
  std::string bad_method = good;
  bad_method[2] = 7;
  write_file(path, bad_method);
  CHECK_THROWS_WITH_AS(data::read_idx(path), (path + ": corrupt gzip data (zlib: unknown compression method).").c_str(),
                       Error);

  for (std::size_t keep : {std::size_t{2}, std::size_t{12}, good.size() - 4}) {
    CAPTURE(keep);
    write_file(path, good.substr(0, keep));
    CHECK_THROWS_WITH_AS(data::read_idx(path),
                         (path + ": the gzip stream is cut short (zlib: unexpected end of file); expected a complete "
                                 "gzip file.")
                             .c_str(),
                         Error);
  }
}

TEST_CASE("read_idx: a float64 value beyond float's range is an Error in float builds") {
  TempDir dir("idx");
  const std::string path = dir / "big.idx";
  // 1e300 is 7E37E43C8800759C; DBL_MAX is 7FEFFFFFFFFFFFFF.
  write_file(path, bytes({0x00, 0x00, 0x0E, 0x01, 0, 0, 0, 2, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0,  //
                          0x7E, 0x37, 0xE4, 0x3C, 0x88, 0x00, 0x75, 0x9C}));
  if constexpr (std::is_same_v<Scalar, float>) {
    CHECK_THROWS_WITH_AS(data::read_idx(path),
                         (path + ": value 1e+300 at index 1 is beyond the range of Scalar (float); build with "
                                 "-DDESCENT_DOUBLE=ON to read it.")
                             .c_str(),
                         Error);
  } else {
    CHECK(data::read_idx(path).values == matrix({{1}, {1e300}}));
  }
  // NaN and infinity are errors, as in the CSV reader (found by the IDX fuzzer: a NaN went through silently).
  write_file(path, bytes({0x00, 0x00, 0x0E, 0x01, 0, 0, 0, 2, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0,  //
                          0x7F, 0xF8, 0, 0, 0, 0, 0, 0}));
  CHECK_THROWS_WITH_AS(data::read_idx(path), (path + ": value nan at index 1 is not a finite number.").c_str(), Error);
  write_file(path, bytes({0x00, 0x00, 0x0D, 0x01, 0, 0, 0, 1, 0xFF, 0x80, 0, 0}));  // float32 -infinity
  CHECK_THROWS_WITH_AS(data::read_idx(path), (path + ": value -inf at index 0 is not a finite number.").c_str(),
                       Error);
}
