// read_csv / read_table: label selection, quoting, delimiters, and errors that name file, line and column.
#include "support/matrices.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <descent/descent.hpp>
#include <filesystem>
#include <fstream>
#include <type_traits>

using descent::testing::matrix;

using namespace descent;

namespace {

// A CSV file with the given bytes, removed when the test ends.
class TempCsv {
 public:
  explicit TempCsv(const std::string& contents, const std::string& name = "data.csv") {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("descent_csv_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / name).string();
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~TempCsv() { std::filesystem::remove_all(dir_); }
  const std::string& path() const { return path_; }

 private:
  std::filesystem::path dir_;
  std::string path_;
};

}  // namespace

TEST_CASE("read_csv takes the label by name, by index, or the last column") {
  TempCsv file("a,b,label\n1,2,0\n3,4.5,1\n-5,6e1,0\n");
  auto last = data::read_csv(file.path());
  CHECK(last.x == matrix({{1, 2}, {3, 4.5}, {-5, 60}}));
  CHECK(last.y == matrix({{0}, {1}, {0}}));

  auto by_name = data::read_csv(file.path(), {.label = "a"});
  CHECK(by_name.x == matrix({{2, 0}, {4.5, 1}, {60, 0}}));
  CHECK(by_name.y == matrix({{1}, {3}, {-5}}));

  auto by_index = data::read_csv(file.path(), {.label_index = 1});
  CHECK(by_index.x == matrix({{1, 0}, {3, 1}, {-5, 0}}));
  CHECK(by_index.y == matrix({{2}, {4.5}, {60}}));

  auto table = data::read_table(file.path());
  CHECK(table.columns == std::vector<std::string>{"a", "b", "label"});
  CHECK(table.values.rows() == 3);
}

TEST_CASE("the bundled breast-cancer file reads with its label column") {
  auto [x, y] = data::read_csv(DESCENT_DATASETS "/breast_cancer.csv", {.label = "malignant"});
  CHECK(x.rows() == 569);
  CHECK(x.cols() == 30);
  CHECK(x(0, 0) == doctest::Approx(17.99));  // mean_radius of the first sample
  CHECK(y.sum() == 212);                     // 212 malignant, 357 benign
}

TEST_CASE("quoted fields, doubled quotes, CRLF line ends, blank lines and a byte order mark") {
  TempCsv file(
      "\xEF\xBB\xBF\"size, cm\",\"say \"\"hi\"\"\",y\r\n"
      "\"1.5\",2,1\r\n"
      "\r\n"
      "3, 4 ,0\r\n");
  auto table = data::read_table(file.path());
  CHECK(table.columns == std::vector<std::string>{"size, cm", "say \"hi\"", "y"});
  CHECK(table.values == matrix({{1.5, 2, 1}, {3, 4, 0}}));
  auto xy = data::read_csv(file.path(), {.label = "size, cm"});
  CHECK(xy.y == matrix({{1.5}, {3}}));
}

TEST_CASE("';' and tab delimiters are detected from the header") {
  TempCsv semicolons("a;b;y\n1.5;2;0\n3;4;1\n");
  auto s = data::read_csv(semicolons.path());
  CHECK(s.x == matrix({{1.5, 2}, {3, 4}}));
  CHECK(s.y == matrix({{0}, {1}}));

  TempCsv tabs("a\tb\ty\n1\t2\t0\n3\t4\t1\n");
  auto t = data::read_csv(tabs.path());
  CHECK(t.x == matrix({{1, 2}, {3, 4}}));

  // An explicit delimiter wins over detection.
  TempCsv mixed("a;b,c;y\n1;2;0\n");
  CHECK(data::read_table(mixed.path(), ';').columns == std::vector<std::string>{"a", "b,c", "y"});
}

TEST_CASE("a header naming a column twice is an error, not two inputs fed from the first") {
  TempCsv file("alcohol,malic_acid,alcohol\n1,2,3\n");
  CHECK_THROWS_WITH_AS(
      data::read_csv(file.path()),
      doctest::Contains((file.path() + ":1: columns 1 and 3 are both named \"alcohol\"; expected unique column names.").c_str()),
      Error);
}

TEST_CASE("a quoted header name may span lines, and rows after it name their own lines") {
  TempCsv file("a,\"b\nc\",y\n1,2,0\n3,x,1\n");
  CHECK_THROWS_WITH_AS(data::read_csv(file.path()),
                       doctest::Contains((file.path() + ":4: column 2 (\"b\\nc\") holds \"x\"").c_str()), Error);
}

TEST_CASE("a ragged row names the file and line") {
  TempCsv file("a,b,y\n1,2,0\n1,2\n");
  CHECK_THROWS_WITH_AS(data::read_csv(file.path()),
                       doctest::Contains((file.path() + ":3: expected 3 fields as in the header; received 2").c_str()),
                       Error);
  TempCsv longer("a,b,y\n1,2,0,9\n");
  CHECK_THROWS_WITH_AS(data::read_csv(longer.path()),
                       doctest::Contains((longer.path() + ":2: expected 3 fields").c_str()), Error);
}

TEST_CASE("a non-numeric or empty cell names the file, line and column") {
  TempCsv text("a,b,y\n1,2,0\n1,abc,0\n");
  CHECK_THROWS_WITH_AS(
      data::read_csv(text.path()),
      doctest::Contains((text.path() + ":3: column 2 (\"b\") holds \"abc\"; expected a finite number").c_str()), Error);
  TempCsv trailing("a,b,y\n1,2x,0\n");
  CHECK_THROWS_WITH_AS(data::read_csv(trailing.path()), doctest::Contains(":2: column 2 (\"b\") holds \"2x\""), Error);
  TempCsv not_finite("a,b,y\n1,2,0\nnan,2,0\n");
  CHECK_THROWS_WITH_AS(data::read_csv(not_finite.path()), doctest::Contains(":3: column 1 (\"a\") holds \"nan\""),
                       Error);
  TempCsv empty_cell("a,b,y\n1,,0\n");
  CHECK_THROWS_WITH_AS(
      data::read_csv(empty_cell.path()),
      doctest::Contains((empty_cell.path() + ":2: column 2 (\"b\") is empty; expected a number").c_str()), Error);
  // Blank lines still count, so the line number is the one an editor shows.
  TempCsv blank_lines("a,b,y\n\n1,2,0\n\n1,2,?\n");
  CHECK_THROWS_WITH_AS(data::read_csv(blank_lines.path()), doctest::Contains(":5: column 3 (\"y\") holds \"?\""),
                       Error);
}

TEST_CASE("a number the build's Scalar cannot hold is an error, not infinity") {
  // 1e39 is beyond float's range (3.4e38); 1e309 beyond double's.
  const std::string too_big = std::is_same_v<Scalar, float> ? "1e39" : "1e309";
  TempCsv file("a,y\n" + too_big + ",1\n");
  CHECK_THROWS_WITH_AS(data::read_csv(file.path()),
                       doctest::Contains((":2: column 1 (\"a\") holds \"" + too_big + "\"").c_str()), Error);
}

TEST_CASE("empty file, header only, unknown label, missing file") {
  TempCsv empty("");
  CHECK_THROWS_WITH_AS(data::read_csv(empty.path()), doctest::Contains((empty.path() + ": the file is empty").c_str()),
                       Error);
  TempCsv blank("\n  \n");
  CHECK_THROWS_WITH_AS(data::read_csv(blank.path()), doctest::Contains("the file is empty"), Error);

  TempCsv header_only("a,b,y\n");
  CHECK_THROWS_WITH_AS(data::read_csv(header_only.path()),
                       doctest::Contains((header_only.path() + ": has a header row but no data rows").c_str()), Error);

  TempCsv file("a,b,y\n1,2,0\n");
  CHECK_THROWS_WITH_AS(data::read_csv(file.path(), {.label = "target"}),
                       doctest::Contains((file.path() + ": no column named \"target\". Columns: \"a\", \"b\", \"y\".").c_str()),
                       Error);
  CHECK_THROWS_WITH_AS(data::read_csv(file.path(), {.label_index = 3}),
                       doctest::Contains("label_index 3 is out of range; the file has 3 columns"), Error);

  const std::string missing = "/nonexistent/descent/no_such_file.csv";
  CHECK_THROWS_WITH_AS(data::read_csv(missing), doctest::Contains((missing + ": cannot open the file").c_str()), Error);

  TempCsv one_column("y\n1\n");
  CHECK_THROWS_WITH_AS(data::read_csv(one_column.path()), doctest::Contains("expected at least two columns"), Error);
}

TEST_CASE("split_csv_line honours quotes") {
  CHECK(data::split_csv_line("a,\"b,c\",d", ',') == std::vector<std::string>{"a", "b,c", "d"});
  CHECK(data::split_csv_line("\"x\"\"y\"", ',') == std::vector<std::string>{"x\"y"});
  CHECK(data::split_csv_line("", ',') == std::vector<std::string>{""});
  CHECK(data::split_csv_line("1,,3", ',') == std::vector<std::string>{"1", "", "3"});
}
