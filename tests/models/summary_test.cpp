// Sequential::summary against Keras 3's table, and the weight accessors: get/set_weights, count_params.
#include <doctest/doctest.h>

#include <descent/descent.hpp>
#include <sstream>

using namespace descent;

namespace {

// Display width in code points: the box-drawing characters take three bytes each.
std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The bytes the weights take in this build, as Keras prints them (1024-based, two decimals).
std::string size_text(Index params) {
  double bytes = static_cast<double>(params) * sizeof(Scalar);
  std::ostringstream out;
  out.precision(2);
  out << std::fixed;
  if (bytes >= 1024 * 1024)
    out << bytes / (1024 * 1024) << " MB";
  else if (bytes >= 1024)
    out << bytes / 1024 << " KB";
  else
    out << bytes << " B";
  return out.str();
}

}  // namespace

TEST_CASE("summary prints Keras 3's table for the breast-cancer model") {
  nn::Sequential model;
  model.add(nn::Input(30));
  model.add(nn::Dense(16, {.activation = "relu"}));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));  // built as added: the Input gives the width
  const std::string s = model.summary_text();

  CHECK(s.rfind("Model: \"sequential\"\n", 0) == 0);
  CHECK(s.find("┏") != std::string::npos);
  CHECK(s.find("┓") != std::string::npos);
  CHECK(s.find("┃ Layer (type)") != std::string::npos);
  CHECK(s.find("Output Shape") != std::string::npos);
  CHECK(s.find("Param # ┃") != std::string::npos);
  CHECK(s.find("│ dense (Dense)") != std::string::npos);
  CHECK(s.find("│ dense_1 (Dense)") != std::string::npos);
  CHECK(s.find("│ (None, 16)") != std::string::npos);
  CHECK(s.find("│ (None, 1)") != std::string::npos);
  CHECK(s.find(" 496 │") != std::string::npos);  // 30 * 16 + 16
  CHECK(s.find(" 17 │") != std::string::npos);   // 16 * 1 + 1
  CHECK(s.find(" Total params: 513 (" + size_text(513) + ")\n") != std::string::npos);
  CHECK(s.find(" Trainable params: 513 (" + size_text(513) + ")\n") != std::string::npos);
  CHECK(s.find(" Non-trainable params: 0 (0.00 B)\n") != std::string::npos);
  if (sizeof(Scalar) == 4) CHECK(s.find("(2.00 KB)") != std::string::npos);  // 2052 bytes, as Keras shows

  // Every line of the box has the same display width.
  auto lines = lines_of(s);
  REQUIRE(lines.size() == 11);
  for (std::size_t i = 1; i <= 7; ++i) CHECK(code_points(lines[i]) == code_points(lines[1]));
  CHECK(model.count_params() == 513);
}

TEST_CASE("summary reproduces a table Keras 3 printed, with thousands separators") {
  // keras.Sequential([Input((21,)), Dense(64, relu), Dense(64, relu), Dense(1)]).summary() in Keras 3.
  nn::Sequential model({.name = "model-1"});
  model.add(nn::Input(21));
  model.add(nn::Dense(64, {.activation = "relu"}));
  model.add(nn::Dense(64, {.activation = "relu"}));
  model.add(nn::Dense(1));
  const std::string expected_table =
      "Model: \"model-1\"\n"
      "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n"
      "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n"
      "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n"
      "│ dense (Dense)                   │ (None, 64)             │         1,408 │\n"
      "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
      "│ dense_1 (Dense)                 │ (None, 64)             │         4,160 │\n"
      "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
      "│ dense_2 (Dense)                 │ (None, 1)              │            65 │\n"
      "└─────────────────────────────────┴────────────────────────┴───────────────┘\n";
  const std::string s = model.summary_text();
  CHECK(s.substr(0, expected_table.size()) == expected_table);
  CHECK(s.find(" Total params: 5,633 (" + size_text(5633) + ")\n") != std::string::npos);
  CHECK(model.count_params() == 5633);  // 21*64+64 + 64*64+64 + 64+1
}

TEST_CASE("an unbuilt model's summary shows unknown shapes, as Keras") {
  nn::Sequential model;
  model.add(nn::Dense(3));
  const std::string s = model.summary_text();
  // The row Keras 3 prints for a Dense layer of a model without an input shape.
  CHECK(s.find("│ dense (Dense)                   │ ?                      │   0 (unbuilt) │\n") != std::string::npos);
  CHECK(s.find("│ ?") != std::string::npos);
  CHECK(s.find("0 (unbuilt) │") != std::string::npos);
  CHECK(s.find(" Total params: 0 (0.00 B)") != std::string::npos);
  std::ostringstream printed;
  model.summary(printed);
  CHECK(printed.str() == s);
}

TEST_CASE("get_weights and set_weights round trip, in Keras order") {
  nn::Sequential model({.seed = 4});
  model.add(nn::Input(3));
  model.add(nn::Dense(2, {.activation = "relu"}));
  model.add(nn::Dense(1, {.use_bias = false}));
  model.build(3);
  auto w = model.get_weights();
  REQUIRE(w.size() == 3);  // kernel, bias, kernel
  CHECK(w[0].rows() == 3);
  CHECK(w[0].cols() == 2);
  CHECK(w[1].rows() == 1);
  CHECK(w[1].cols() == 2);
  CHECK(w[2].rows() == 2);
  CHECK(w[2].cols() == 1);
  CHECK(model.count_params() == 3 * 2 + 2 + 2);

  w[0] << 1, 2, 3, 4, 5, 6;
  w[1] << 0.5, -0.5;
  w[2] << 2, -1;
  model.set_weights(w);
  auto back = model.get_weights();
  for (std::size_t i = 0; i < w.size(); ++i) CHECK(back[i] == w[i]);

  // predict uses them: hidden relu([1+3+5+0.5, 2+4+6-0.5]) = [9.5, 11.5]; output 2*9.5 - 11.5 = 7.5.
  Matrix x(1, 3);
  x << 1, 1, 1;
  CHECK(model.predict(x)(0, 0) == doctest::Approx(7.5));
}

TEST_CASE("set_weights rejects wrong counts and shapes, naming the weight") {
  nn::Sequential model;
  model.add(nn::Input(3));
  model.add(nn::Dense(2));
  auto w = model.get_weights();
  REQUIRE(w.size() == 2);  // built when added, since the Input gives the width
  std::vector<Matrix> too_few = {w[0]};
  CHECK_THROWS_WITH_AS(model.set_weights(too_few), doctest::Contains("expected 2 weights; received 1"), Error);
  std::vector<Matrix> wrong = {Matrix::Zero(2, 3), w[1]};
  CHECK_THROWS_WITH_AS(model.set_weights(wrong),
                       doctest::Contains("weight 0 ('kernel') expected 3 x 2; received 2 x 3"), Error);
  wrong = {w[0], Matrix::Zero(2, 1)};
  CHECK_THROWS_WITH_AS(model.set_weights(wrong), doctest::Contains("weight 1 ('bias') expected 1 x 2; received 2 x 1"),
                       Error);
  wrong = w;
  wrong[0](1, 1) = std::numeric_limits<Scalar>::infinity();
  CHECK_THROWS_WITH_AS(model.set_weights(wrong), doctest::Contains("has a non-finite value (inf) at row 1, column 1"), Error);
  CHECK(model.get_weights()[0] == w[0]);  // a rejected call changes nothing

  nn::Sequential unbuilt;
  unbuilt.add(nn::Dense(2));
  CHECK_THROWS_WITH_AS(unbuilt.set_weights(w), doctest::Contains("not built"), Error);
  CHECK_THROWS_WITH_AS(unbuilt.count_params(), doctest::Contains("not built"), Error);
}
