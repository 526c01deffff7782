// read_text_table: delimiters, quotes, line numbers in every error, name-or-index columns, and CSV round trips.
#include <doctest/doctest.h>

#include <descent/data/text_table.hpp>
#include <descent/core/error.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace descent;
namespace fs = std::filesystem;

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("descent-text-table-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace

TEST_CASE("cells stay text; quotes, delimiters, blank lines and a byte order mark are handled") {
  const auto path = write_temp("semi.csv", "\xEF\xBB\xBF" "name;\"x;y\";z\n\n\"Smith, J\";1.5; 2 \n\"say \"\"hi\"\"\";-3;+4\n");
  const data::TextTable t = data::read_text_table(path);
  CHECK(t.delimiter == ';');
  CHECK(t.columns == std::vector<std::string>{"name", "x;y", "z"});
  REQUIRE(t.size() == 2);
  CHECK(t.rows[0] == std::vector<std::string>{"Smith, J", "1.5", "2"});
  CHECK(t.rows[1][0] == "say \"hi\"");
  CHECK(t.lines == std::vector<std::size_t>{3, 4});  // the blank line 2 is skipped but counted
  const Matrix numbers = t.numbers({1, 2});
  CHECK(numbers(0, 0) == doctest::Approx(1.5));
  CHECK(numbers(0, 1) == 2);
  CHECK(numbers(1, 0) == -3);
  CHECK(numbers(1, 1) == 4);
  CHECK(t.text(0) == std::vector<std::string>{"Smith, J", "say \"hi\""});
}

TEST_CASE("a tab-separated header is detected") {
  const data::TextTable t = data::read_text_table(write_temp("tabs.csv", "a\tb\n1\t2\n"));
  CHECK(t.delimiter == '\t');
  CHECK(t.columns.size() == 2);
}

TEST_CASE("columns by name first, then by 0-based index; unknown ones list the columns") {
  const data::TextTable t = data::read_text_table(write_temp("cols.csv", "a,b,2\n1,2,3\n"));
  CHECK(t.column("b") == 1);
  CHECK(t.column("0") == 0);
  CHECK(t.column("-1") == 2);
  CHECK(t.column("2") == 2);  // the column named "2", which is also index 2
  CHECK(t.find("c") == -1);
  CHECK_THROWS_WITH_AS(t.column("c", "label column"),
                       doctest::Contains("no label column \"c\". Expected a column name or a 0-based index below 3; "
                                         "the columns are \"a\", \"b\", \"2\"."),
                       Error);
  CHECK_THROWS_WITH_AS(t.column("3"), doctest::Contains("no column \"3\""), Error);
}

TEST_CASE("bad cells are errors naming the file, line and column") {
  const auto path = write_temp("bad.csv", "a,b\n1,2\n3,x\n4,\n5,1e39\n");
  const data::TextTable t = data::read_text_table(path);
  CHECK_THROWS_WITH_AS(t.numbers({1}), doctest::Contains((path + ":3: column 2 (\"b\") holds \"x\"").c_str()), Error);
  const data::TextTable empty_cell = t.select({2});
  CHECK_THROWS_WITH_AS(empty_cell.numbers({1}), doctest::Contains((path + ":4: column 2 (\"b\") is empty").c_str()), Error);
  if (sizeof(Scalar) == 4)
    CHECK_THROWS_WITH_AS(t.select({3}).numbers({1}), doctest::Contains(":5: column 2 (\"b\") holds \"1e39\""), Error);
  CHECK(t.numbers({0}).col(0).sum() == 1 + 3 + 4 + 5);
}

TEST_CASE("file-level problems are errors naming the file") {
  const auto ragged = write_temp("ragged.csv", "a,b,c\n1,2,3\n4,5\n");
  CHECK_THROWS_WITH_AS(data::read_text_table(ragged),
                       doctest::Contains((ragged + ":3: expected 3 fields as in the header; received 2.").c_str()), Error);
  CHECK_THROWS_WITH_AS(data::read_text_table(write_temp("empty.csv", "\n\n")),
                       doctest::Contains("the file is empty"), Error);
  CHECK_THROWS_WITH_AS(data::read_text_table(write_temp("header.csv", "a,b\n")),
                       doctest::Contains("has a header row but no data rows"), Error);
  CHECK_THROWS_WITH_AS(data::read_text_table(write_temp("unnamed.csv", "a,,c\n1,2,3\n")),
                       doctest::Contains("header column 2 has no name"), Error);
  CHECK_THROWS_WITH_AS(data::read_text_table("/no/such/file.csv"), doctest::Contains("no such file"), Error);
  CHECK_THROWS_WITH_AS(data::read_text_table(fs::temp_directory_path().string()),
                       doctest::Contains("is a directory"), Error);
}

TEST_CASE("strings from the file are shown escaped in messages") {
  const auto path = write_temp("escape.csv", "a,\"b\x1b[2J\"\n1,\"x\x07\ty\"\n");
  const data::TextTable t = data::read_text_table(path);
  CHECK_THROWS_WITH_AS(t.numbers({1}),
                       doctest::Contains((path + ":2: column 2 (\"b\\x1b[2J\") holds \"x\\x07\\ty\"").c_str()), Error);
  CHECK_THROWS_WITH_AS(t.column("c"), doctest::Contains("the columns are \"a\", \"b\\x1b[2J\"."), Error);
}

TEST_CASE("to_csv quotes what needs quoting, and reading it back gives the same cells") {
  data::TextTable t;
  t.delimiter = ',';
  t.columns = {"label", "x"};
  t.rows = {{"a, b", "1"}, {"say \"hi\"", "2"}};
  const std::string csv = data::to_csv(t);
  CHECK(csv == "label,x\n\"a, b\",1\n\"say \"\"hi\"\"\",2\n");
  const data::TextTable back = data::read_text_table(write_temp("round.csv", csv));
  CHECK(back.columns == t.columns);
  CHECK(back.rows == t.rows);
}
