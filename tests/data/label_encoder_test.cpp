// LabelEncoder: sorted classes, numbers compared as numbers, class indices kept, unknown labels named.
#include <doctest/doctest.h>

#include <descent/data/label_encoder.hpp>
#include <descent/core/error.hpp>

using namespace descent;
using Labels = std::vector<std::string>;

TEST_CASE("text labels are numbered in sorted order") {
  data::LabelEncoder e;
  e.fit({"virginica", "setosa", "versicolor", "setosa"});
  CHECK(e.classes() == Labels{"setosa", "versicolor", "virginica"});
  CHECK_FALSE(e.numeric());
  const Matrix y = e.transform({"versicolor", "setosa", "virginica"});
  CHECK(y(0, 0) == 1);
  CHECK(y(1, 0) == 0);
  CHECK(y(2, 0) == 2);
  CHECK(e.label(2) == "virginica");
}

TEST_CASE("numeric labels sort as numbers, and 2 and 2.0 are one class") {
  data::LabelEncoder e;
  e.fit({"10", "2", "2.0", "-1"});
  CHECK(e.numeric());
  CHECK(e.classes() == Labels{"-1", "2", "10"});  // text order would put "10" before "2"
  CHECK(e.index_of("2.00") == 1);
  CHECK(e.index_of("+10") == 2);
  CHECK(e.index_of("3") == -1);
  CHECK(e.index_of("two") == -1);
}

TEST_CASE("labels that already are class indices keep them, even when a class is absent") {
  data::LabelEncoder e;
  e.fit({"0", "2", "2"}, 3);
  CHECK(e.classes() == Labels{"0", "1", "2"});
  CHECK(e.transform({"2"})(0, 0) == 2);
  // Not indices for 2 classes: 2 and 4 are renumbered 0 and 1.
  data::LabelEncoder f;
  f.fit({"4", "2"}, 2);
  CHECK(f.classes() == Labels{"2", "4"});
  CHECK(f.transform({"4"})(0, 0) == 1);
  // 1.5 is not an index.
  data::LabelEncoder g;
  g.fit({"0", "1.5"}, 3);
  CHECK(g.classes() == Labels{"0", "1.5"});
}

TEST_CASE("a mix of numbers and words is text") {
  data::LabelEncoder e;
  e.fit({"b", "1", "a"});
  CHECK_FALSE(e.numeric());
  CHECK(e.classes() == Labels{"1", "a", "b"});
}

TEST_CASE("an unknown label is an error naming where it is and the known classes") {
  data::LabelEncoder e;
  e.fit({"cat", "dog"});
  CHECK_THROWS_WITH_AS(e.transform({"dog", "emu"}, [](std::size_t i) { return "pets.csv:" + std::to_string(i + 2); }),
                       doctest::Contains("pets.csv:3: the label \"emu\" is not a class the model was trained on. "
                                         "Expected one of \"cat\", \"dog\"."),
                       Error);
  // Labels and classes come from files: shown escaped, so a terminal sequence in one is not run.
  data::LabelEncoder odd;
  odd.fit({"c\x1b[2Jat", "dog"});
  CHECK_THROWS_WITH_AS(odd.transform({"e\x1b]0;mu"}, [](std::size_t) { return std::string("pets.csv:2"); }),
                       doctest::Contains("pets.csv:2: the label \"e\\x1b]0;mu\" is not a class the model was trained "
                                         "on. Expected one of \"c\\x1b[2Jat\", \"dog\"."),
                       Error);
  CHECK_THROWS_WITH_AS(e.fit({"a", ""}), doctest::Contains("a label is empty"), Error);
  CHECK_THROWS_AS(e.fit({}), Error);
  CHECK_THROWS_AS(e.label(5), Error);
}

TEST_CASE("canonical numbers and restoring a saved encoder") {
  CHECK(data::LabelEncoder::canonical_number("1.50") == "1.5");
  CHECK(data::LabelEncoder::canonical_number("-0") == "0");
  CHECK(data::LabelEncoder::canonical_number("1e2") == "100");
  CHECK(data::LabelEncoder::canonical_number("abc").empty());
  data::LabelEncoder e;
  e.set({"no", "yes"}, false);
  CHECK(e.index_of("yes") == 1);
  CHECK_THROWS_AS(e.set({}, false), Error);
}
