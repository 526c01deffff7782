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

TEST_CASE("a table built in memory, without lines, names its rows by 0-based index") {
  data::TextTable t;
  t.path = "labels.idx";
  t.columns = {"label"};
  t.rows = {{"1"}, {"n/a"}};
  CHECK(t.place(1) == "labels.idx: row 1");
  CHECK_THROWS_WITH_AS(t.numbers({0}), doctest::Contains("labels.idx: row 1: column 1 (\"label\") holds \"n/a\""),
                       Error);
  const data::TextTable second = t.select({1});
  CHECK(second.lines.empty());
  CHECK(second.place(0) == "labels.idx: row 0");
  const auto path = write_temp("place.csv", "a\n\n7\n");
  CHECK(data::read_text_table(path).place(0) == path + ":3");
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

TEST_CASE("RFC 4180: a quoted field may hold line breaks; a row's line is the line where its record starts") {
  // Lines: 1 header, 2-3 the first row, 4 blank, 5 the second row, 6-7 the third; CRLF line ends throughout.
  const auto path = write_temp("multiline.csv",
                               "id,note\r\n1,\"two\r\nlines\"\r\n\r\n2,plain\r\n3,\"say \"\"hi\"\"\nthen\"\r\n");
  const data::TextTable t = data::read_text_table(path);
  CHECK(t.columns == std::vector<std::string>{"id", "note"});
  REQUIRE(t.size() == 3);
  CHECK(t.rows[0] == std::vector<std::string>{"1", "two\r\nlines"});  // the line break is part of the field
  CHECK(t.rows[1] == std::vector<std::string>{"2", "plain"});
  CHECK(t.rows[2] == std::vector<std::string>{"3", "say \"hi\"\nthen"});
  CHECK(t.lines == std::vector<std::size_t>{2, 5, 6});
  // A bad cell after a multi-line record still names its own line.
  CHECK_THROWS_WITH_AS(t.numbers({1}), doctest::Contains((path + ":2: column 2 (\"note\") holds \"two\\r\\nlines\"").c_str()),
                       Error);

  const data::TextTable header = data::read_text_table(write_temp("header-break.csv", "\"first\nname\",b\n1,2\n"));
  CHECK(header.columns == std::vector<std::string>{"first\nname", "b"});
  CHECK(header.lines == std::vector<std::size_t>{3});
}

TEST_CASE("an unterminated quote is an error naming the line where it opened") {
  const auto open = write_temp("open.csv", "a,b\n1,2\n3,\"open\n4,5\n");
  CHECK_THROWS_WITH_AS(data::read_text_table(open),
                       doctest::Contains((open + ":3: the quoted field opened on this line is not closed by the end of "
                                                 "the file; expected a closing '\"'").c_str()),
                       Error);
  // The field opened on line 2 closes on line 3, where another opens and never closes.
  const auto reopened = write_temp("reopened.csv", "a,b\n\"x\ny\",\"z\n");
  CHECK_THROWS_WITH_AS(data::read_text_table(reopened), doctest::Contains((reopened + ":3: the quoted field").c_str()),
                       Error);
  // A doubled quote inside a quoted field is a quote character, not the end of the field.
  const auto doubled = write_temp("doubled.csv", "a,b\n1,\"x\"\"\n");
  CHECK_THROWS_WITH_AS(data::read_text_table(doubled), doctest::Contains((doubled + ":2: the quoted field").c_str()),
                       Error);
}

TEST_CASE("duplicate column names are an error naming both positions") {
  const auto path = write_temp("dup.csv", "\n\nalcohol, ash ,x,ash\n1,2,3,4\n");
  CHECK_THROWS_WITH_AS(data::read_text_table(path),
                       doctest::Contains((path + ":3: columns 2 and 4 are both named \"ash\"; expected unique column "
                                                 "names.").c_str()),
                       Error);
  // The first repeated name is reported.
  CHECK_THROWS_WITH_AS(data::read_text_table(write_temp("dup3.csv", "b,a,a,b\n1,2,3,4\n")),
                       doctest::Contains(":1: columns 2 and 3 are both named \"a\""), Error);
}

TEST_CASE("invalid UTF-8 and NUL bytes are errors naming the line and column") {
  const auto nul = write_temp("nul.csv", std::string("a,b\n1,2\n3,4") + '\0' + "x\n");
  CHECK_THROWS_WITH_AS(data::read_text_table(nul),
                       doctest::Contains((nul + ":3: column 2 holds a NUL byte at byte 1 of the cell; expected UTF-8 "
                                                "text without NUL bytes.").c_str()),
                       Error);
  const auto latin1 = write_temp("latin1.csv", "name,caf\xe9\n1,2\n");
  CHECK_THROWS_WITH_AS(data::read_text_table(latin1),
                       doctest::Contains((latin1 + ":1: header column 2 holds the byte 0xe9 at byte 3 of the name, "
                                                   "which is not UTF-8; expected UTF-8 text").c_str()),
                       Error);
  // Inside a multi-line field the line is the one holding the byte: the record starts on line 2, the truncated
  // two-byte sequence \xc3 sits on line 3.
  const auto broken = write_temp("broken.csv", "a,b\n1,\"x\ny\xc3\"\n");
  CHECK_THROWS_WITH_AS(data::read_text_table(broken),
                       doctest::Contains((broken + ":3: column 2 holds the byte 0xc3 at byte 3 of the cell").c_str()),
                       Error);
  // Valid UTF-8 beyond ASCII is fine.
  const data::TextTable ok = data::read_text_table(write_temp("utf8.csv", "caf\xc3\xa9,\xe2\x82\xac\n1,2\n"));
  CHECK(ok.columns == std::vector<std::string>{"caf\xc3\xa9", "\xe2\x82\xac"});
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

  // Line breaks: quoted, so the file reads back with the same rows (and other readers do not take a lone \r for
  // the end of a line).
  t.rows = {{"two\nlines", "1"}, {"cr\r\nlf", "2"}, {"a\rb", "3"}};
  const std::string breaks = data::to_csv(t);
  CHECK(breaks == "label,x\n\"two\nlines\",1\n\"cr\r\nlf\",2\n\"a\rb\",3\n");
  const data::TextTable back_breaks = data::read_text_table(write_temp("round-breaks.csv", breaks));
  CHECK(back_breaks.rows == t.rows);
  CHECK(back_breaks.lines == std::vector<std::size_t>{2, 4, 6});

  // A row of empty cells would be a blank line, which reading skips; a name starting with a byte order mark would
  // lose it as the file's own.
  data::TextTable blank_row;
  blank_row.delimiter = '\t';
  blank_row.columns = {"\xEF\xBB\xBF" "a", "b"};
  blank_row.rows = {{"", ""}, {"1", "2"}};
  const std::string blank_csv = data::to_csv(blank_row);
  CHECK(blank_csv == "\"\xEF\xBB\xBF" "a\"\tb\n\"\"\t\n1\t2\n");
  const data::TextTable back_blank = data::read_text_table(write_temp("round-blank.csv", blank_csv), '\t');
  CHECK(back_blank.columns == blank_row.columns);
  CHECK(back_blank.rows == blank_row.rows);
}
