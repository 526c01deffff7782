// Dot: values worked out by hand for each form of axes (with and without normalize), central-difference gradients of
// both inputs, the config in both of Keras's forms, and the errors.
#include <doctest/doctest.h>

#include "../../../support/gradient_check.hpp"
#include "../../../support/matrices.hpp"

#include <descent/descent.hpp>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace descent;
using nlohmann::json;
using testing::matrix;

namespace {

const Matrix& run(nn::Dot& layer, const std::vector<Shape>& shapes, const Matrix& a, const Matrix& b) {
  layer.build(shapes);
  return layer.forward(std::vector<const Matrix*>{&a, &b}, true);
}

// With L = sum(w .* dot(a, b)), the largest relative error of backward_list's dL/da and dL/db against central
// differences.
double dot_gradient_error(nn::Dot& layer, const std::vector<Shape>& shapes, Matrix a, Matrix b) {
  const std::vector<const Matrix*> xs = {&a, &b};
  layer.build(shapes);
  const Matrix w = testing::uniform_matrix(a.rows(), layer.forward(xs, true).cols(), 7);
  auto objective = [&] {
    return static_cast<double>((layer.forward(xs, true).cast<double>().array() * w.cast<double>().array()).sum());
  };
  layer.forward(xs, true);
  const auto& grads = layer.backward_list(w);
  const Matrix da = *grads[0], db = *grads[1];
  return std::max(testing::relative_error(da, testing::numeric_gradient(a, objective)),
                  testing::relative_error(db, testing::numeric_gradient(b, objective)));
}

// Values drawn from [0.5, 2) with random signs: no vector along a dot axis is near zero, where the float build's
// central differences of a normalized input would be too coarse.
Matrix away_from_zero(Index rows, Index cols, std::uint64_t seed) {
  Matrix m = testing::uniform_matrix(rows, cols, seed, 0.5, 2);
  const Matrix sign = testing::uniform_matrix(rows, cols, seed + 100);
  for (Index i = 0; i < m.size(); ++i)
    if (sign.data()[i] < 0) m.data()[i] = -m.data()[i];
  return m;
}

// A fixture's flat values as `rows` rows.
Matrix batch(const json& values, Index rows) {
  const Index n = static_cast<Index>(values.size());
  REQUIRE(n % rows == 0);
  Matrix m(rows, n / rows);
  for (Index i = 0; i < n; ++i) m.data()[i] = values[static_cast<std::size_t>(i)].get<Scalar>();
  return m;
}

// |a - e| <= tolerance (|e| + 1) value by value.
void check_close(const Matrix& actual, const Matrix& expected, const std::string& what) {
  INFO(what);
  REQUIRE(actual.rows() == expected.rows());
  REQUIRE(actual.cols() == expected.cols());
  const double tolerance = std::is_same_v<Scalar, double> ? 1e-12 : 1e-5;
  double worst = 0;
  for (Index i = 0; i < actual.size(); ++i) {
    const double a = actual.data()[i], e = expected.data()[i];
    worst = std::max(worst, std::abs(a - e) / (std::abs(e) + 1.0));
  }
  CHECK(worst <= tolerance);
}

}  // namespace

TEST_CASE("Dot: (N, d) . (N, d) is one product per sample, shaped (None, 1); the gradients by hand") {
  const Matrix a = matrix({{1, 2, 3}, {0, 1, -1}});
  const Matrix b = matrix({{4, -5, 6}, {2, 3, 4}});
  for (int axes : {1, -1}) {
    CAPTURE(axes);
    nn::Dot dot(axes);
    CHECK(dot.compute_output_shape(std::vector<Shape>{{3}, {3}}) == Shape{1});
    CHECK(run(dot, {{3}, {3}}, a, b) == matrix({{12}, {-1}}));   // 4 - 10 + 18, 0 + 3 - 4
    const auto& grads = dot.backward_list(matrix({{2}, {-1}}));  // dL/da = dy b, dL/db = dy a
    CHECK(*grads[0] == matrix({{8, -10, 12}, {-2, -3, -4}}));
    CHECK(*grads[1] == matrix({{2, 4, 6}, {0, -1, 1}}));
  }
}

TEST_CASE("Dot: rank-2 samples along their last axis, their first axis, or one axis each") {
  // axes=2: (m, d) . (n, d) -> (m, n), the rows' products. x1 rows (1, 0, 2), (0, 1, -1); x2 rows (1, 1, 1), (2, 0, 3).
  nn::Dot last(2);
  const Matrix x1 = matrix({{1, 0, 2, 0, 1, -1}}), x2 = matrix({{1, 1, 1, 2, 0, 3}});
  CHECK(last.compute_output_shape(std::vector<Shape>{{2, 3}, {2, 3}}) == Shape{2, 2});
  CHECK(run(last, {{2, 3}, {2, 3}}, x1, x2) == matrix({{3, 8, 0, -3}}));
  nn::Dot minus_one(-1);
  CHECK(run(minus_one, {{2, 3}, {2, 3}}, x1, x2) == matrix({{3, 8, 0, -3}}));

  // axes=1: (d, m) . (d, n) -> (m, n), the columns' products. Columns (1, 4), (2, 5), (3, 6) and (1, 2), (-1, 0).
  nn::Dot first(1);
  const Matrix c1 = matrix({{1, 2, 3, 4, 5, 6}}), c2 = matrix({{1, -1, 2, 0}});
  CHECK(first.compute_output_shape(std::vector<Shape>{{2, 3}, {2, 2}}) == Shape{3, 2});
  CHECK(run(first, {{2, 3}, {2, 2}}, c1, c2) == matrix({{9, -1, 12, -2, 15, -3}}));
  nn::Dot minus_two(-2);
  CHECK(run(minus_two, {{2, 3}, {2, 2}}, c1, c2) == matrix({{9, -1, 12, -2, 15, -3}}));

  // axes=(1, 2): Keras's own example, arange(10) as (5, 2) and arange(10, 20) as (2, 5) -> [[260, 360], [320, 445]].
  nn::Dot pair({1, 2});
  Matrix x(1, 10), y(1, 10);
  for (Index j = 0; j < 10; ++j) {
    x(0, j) = static_cast<Scalar>(j);
    y(0, j) = static_cast<Scalar>(10 + j);
  }
  CHECK(pair.compute_output_shape(std::vector<Shape>{{5, 2}, {2, 5}}) == Shape{2, 2});
  CHECK(run(pair, {{5, 2}, {2, 5}}, x, y) == matrix({{260, 360, 320, 445}}));
  nn::Dot negative_pair({-2, -1});
  CHECK(run(negative_pair, {{5, 2}, {2, 5}}, x, y) == matrix({{260, 360, 320, 445}}));
}

TEST_CASE("Dot: inputs of different ranks, and of rank 3") {
  // (d,) . (n, d) along (1, 2) -> (n,): (1, 2) against rows (1, 1), (3, -1), (0, 2).
  nn::Dot vector_matrix({1, 2});
  const Matrix v = matrix({{1, 2}}), m = matrix({{1, 1, 3, -1, 0, 2}});
  CHECK(vector_matrix.compute_output_shape(std::vector<Shape>{{2}, {3, 2}}) == Shape{3});
  CHECK(run(vector_matrix, {{2}, {3, 2}}, v, m) == matrix({{3, 1, 4}}));
  // (m, d) . (d,) along (2, 1) -> (m,).
  nn::Dot matrix_vector({2, 1});
  CHECK(matrix_vector.compute_output_shape(std::vector<Shape>{{3, 2}, {2}}) == Shape{3});
  CHECK(run(matrix_vector, {{3, 2}, {2}}, m, v) == matrix({{3, 1, 4}}));
  // (2, 2, 2) . (2,) along the middle axis: x[i, :, j] . (1, -1), so (x[i, 0, j] - x[i, 1, j]) for (i, j).
  nn::Dot middle({2, 1});
  const Matrix cube = matrix({{1, 2, 3, 5, 10, 20, 4, 8}});  // [[[1, 2], [3, 5]], [[10, 20], [4, 8]]]
  CHECK(middle.compute_output_shape(std::vector<Shape>{{2, 2, 2}, {2}}) == Shape{2, 2});
  CHECK(run(middle, {{2, 2, 2}, {2}}, cube, matrix({{1, -1}})) == matrix({{-2, -3, 6, 12}}));
  CHECK(nn::Dot(3).compute_output_shape(std::vector<Shape>{{4, 5, 6}, {2, 3, 6}}) == Shape{4, 5, 2, 3});
}

TEST_CASE("Dot with normalize: cosines, values by hand, and a zero vector stays finite") {
  nn::Dot cosine(1, {.normalize = true});
  // (3, 4) . (4, 3) = 24 over norms 5 and 5; (1, 0) . (0, -2) = 0; a zero vector is divided by 1e-7, not 0.
  const Matrix a = matrix({{3, 4}, {1, 0}, {0, 0}}), b = matrix({{4, 3}, {0, -2}, {1, 2}});
  CHECK(testing::close(run(cosine, {{2}, {2}}, a, b), matrix({{0.96}, {0}, {0}})));
  const auto& grads = cosine.backward_list(matrix({{1}, {1}, {1}}));
  // d cos / da = (b/|b| - cos a/|a|) / |a| = ((0.8, 0.6) - 0.96 (0.6, 0.8)) / 5; below the floor, (b/|b|) / 1e-7.
  const double s5 = std::sqrt(5.0);
  CHECK(testing::close(grads[0]->topRows(1), matrix({{0.0448, -0.0336}})));
  CHECK(testing::close(grads[0]->bottomRows(1), matrix({{1e7 / s5, 2e7 / s5}})));
  CHECK(testing::close(grads[1]->topRows(1), matrix({{-0.0336, 0.0448}})));  // the same with a and b swapped
  CHECK(grads[1]->bottomRows(1).isZero());  // the zero vector's own value: 0 times anything

  // axes=1 on (d, m) . (d, n): columns (3, 4), (1, 0) against (0, 2) -> (0.8, 0).
  nn::Dot columns(1, {.normalize = true});
  CHECK(testing::close(run(columns, {{2, 2}, {2, 1}}, matrix({{3, 1, 4, 0}}), matrix({{0, 2}})), matrix({{0.8, 0}})));
  // axes=2 on (m, d) . (n, d): (6, 8) against rows (0, 5), (-1, 0) -> (0.8, -0.6).
  nn::Dot rows(2, {.normalize = true});
  CHECK(testing::close(run(rows, {{1, 2}, {2, 2}}, matrix({{6, 8}}), matrix({{0, 5, -1, 0}})), matrix({{0.8, -0.6}})));
  // axes=(1, 2) on (d, m) . (n, d): column (3, 4) against row (4, 3) -> 0.96.
  nn::Dot pair({1, 2}, {.normalize = true});
  CHECK(testing::close(run(pair, {{2, 1}, {1, 2}}, matrix({{3, 4}}), matrix({{4, 3}})), matrix({{0.96}})));
}

TEST_CASE("Dot gradients of both inputs match central differences in every form, with and without normalize") {
  struct Case {
    nn::DotAxes axes;
    std::vector<Shape> shapes;
  };
  const std::vector<Case> cases = {
      {1, {{4}, {4}}},                // (N, d) . (N, d)
      {-1, {{4}, {4}}},               // the same, counted from the end
      {2, {{2, 3}, {4, 3}}},          // (N, m, d) . (N, n, d)
      {1, {{3, 2}, {3, 4}}},          // (N, d, m) . (N, d, n)
      {{1, 2}, {{3, 2}, {4, 3}}},     // (N, d, m) . (N, n, d)
      {{-1, 1}, {{2, 3}, {3, 2}}},    // (N, m, d) . (N, d, n)
      {{1, 2}, {{3}, {2, 3}}},        // (N, d) . (N, n, d)
      {{2, 1}, {{2, 3, 2}, {3, 4}}},  // rank 3 along its middle axis
  };
  for (bool normalize : {false, true})
    for (std::size_t c = 0; c < cases.size(); ++c) {
      CAPTURE(normalize);
      CAPTURE(c);
      nn::Dot dot(cases[c].axes, {.normalize = normalize});
      const Matrix a = away_from_zero(3, cases[c].shapes[0].size(), 10 + c);
      const Matrix b = away_from_zero(3, cases[c].shapes[1].size(), 20 + c);
      CHECK(dot_gradient_error(dot, cases[c].shapes, a, b) < testing::kTolerance);
    }
}

TEST_CASE("Dot in a model: two towers' cosine, gradients of every weight against central differences") {
  nn::Input in(3);
  auto left = nn::Dense(4, {.activation = "tanh"})(in);
  auto right = nn::Dense(4)(in);
  auto cosine = nn::Dot(1, {.normalize = true, .name = "cosine"})({left, right});
  nn::Model model(in, nn::Dense(2)(cosine), {.seed = 2});
  CHECK(cosine.shape() == Shape{1});
  CHECK(model.output_dim() == 2);
  const Matrix x = testing::uniform_matrix(5, 3, 4);
  CHECK(testing::check_model_gradients(model, x) < testing::kTolerance);
  const Matrix y = model.predict(x);
  CHECK(y.allFinite());
}

TEST_CASE("Dot config: axes as Keras writes them, an integer or a pair, and normalize; both read back") {
  nn::Dot one(1);
  const json config = nn::layer_to_json(one)["config"];
  CHECK(config["axes"] == 1);  // an integer, not [1, 1]
  CHECK(config["normalize"] == false);
  nn::Dot two({1, -1}, {.normalize = true, .name = "cos"});
  const json written = nn::layer_to_json(two);
  CHECK(written["class_name"] == "Dot");
  CHECK(written["config"]["axes"] == json::array({1, -1}));
  CHECK(written["config"]["normalize"] == true);
  auto again = nn::layer_from_json(written, "written");
  CHECK(nn::layer_to_json(*again) == written);
  const auto& dot = dynamic_cast<const nn::Dot&>(*again);
  CHECK(dot.axes().pair);
  CHECK(dot.axes().first == 1);
  CHECK(dot.axes().second == -1);
  CHECK(dot.options().normalize);

  // As Keras 3 writes a Dot(axes=2): the keys every layer has, normalize false.
  auto keras = nn::layer_from_json(json::parse(R"({"class_name": "Dot", "module": "keras.layers", "config": {
      "name": "dot", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy",
      "config": {"name": "float32"}, "registered_name": null}, "axes": 2, "normalize": false}})"), "keras");
  const auto& read = dynamic_cast<const nn::Dot&>(*keras);
  CHECK_FALSE(read.axes().pair);
  CHECK(read.axes().first == 2);
  CHECK(read.axes().second == 2);
  CHECK_FALSE(read.options().normalize);
  CHECK(read.name() == "dot");

  for (const char* bad : {R"([1])", R"([1, 2, 3])", R"("1")", R"([1, 2.5])", R"(1.5)"}) {
    CAPTURE(bad);
    const json object = {{"class_name", "Dot"}, {"config", {{"axes", json::parse(bad)}}}};
    CHECK_THROWS_WITH_AS(nn::layer_from_json(object, "x"),
                         doctest::Contains("x.config.axes: expected an axis or a list of two axes"), Error);
  }
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "Dot", "config": {}})"), "x"),
                       doctest::Contains("x.config.axes: expected an axis or a list of two axes (integers, 1 the first "
                                         "of a sample, -1 the last); received nothing"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::layer_from_json(json::parse(R"({"class_name": "Dot", "config": {"axes": [0, 1]}})"), "x"),
                       doctest::Contains("axes=[0, 1] names axis 0, the batch axis"), Error);
}

TEST_CASE("Dot errors name the layer and both shapes") {
  nn::Dot dot(1, {.name = "d"});
  CHECK_THROWS_WITH_AS(dot.compute_output_shape(std::vector<Shape>{{3}, {4}}),
                       doctest::Contains("Dot 'd': the dot axes differ in size: axis 1 of input 1 has 3 values, axis "
                                         "1 of input 2 has 4; received [(None, 3), (None, 4)]"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::Dot({1, 2}).compute_output_shape(std::vector<Shape>{{2, 5}, {2, 3}}),
                       doctest::Contains("axis 1 of input 1 has 2 values, axis 2 of input 2 has 3; received "
                                         "[(None, 2, 5), (None, 2, 3)]"),
                       Error);
  CHECK_THROWS_WITH_AS(dot.compute_output_shape(std::vector<Shape>{{3}, {3}, {3}}),
                       doctest::Contains("Dot 'd': expects exactly 2 inputs; received 3: [(None, 3), (None, 3), (None, "
                                         "3)]"),
                       Error);
  CHECK_THROWS_WITH_AS(dot.compute_output_shape(std::vector<Shape>{{3}}),
                       doctest::Contains("expects exactly 2 inputs; received 1: [(None, 3)]"), Error);
  CHECK_THROWS_WITH_AS(nn::Dot(0, {.name = "d"}), doctest::Contains("Dot 'd': axes=0 names axis 0, the batch axis"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::Dot({2, 0}), doctest::Contains("axes=[2, 0] names axis 0, the batch axis"), Error);
  // -2 of a (None, 3) input is its batch axis; 2 is past its end.
  CHECK_THROWS_WITH_AS(nn::Dot(-2).compute_output_shape(std::vector<Shape>{{3}, {3}}),
                       doctest::Contains("axes=-2 names the batch axis of input 1, of shape (None, 3); received "
                                         "[(None, 3), (None, 3)]"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::Dot(2).compute_output_shape(std::vector<Shape>{{3, 3}, {3}}),
                       doctest::Contains("axes=2 is out of range for input 2, of shape (None, 3). Expected an axis "
                                         "from 1 to 1 or from -1 to -1; received [(None, 3, 3), (None, 3)]"),
                       Error);
  // A model's graph checks the shapes when the layer is called.
  nn::Input x1(3), x2(4);
  CHECK_THROWS_WITH_AS(nn::Dot(1, {.name = "d"})({x1, x2}), doctest::Contains("Dot 'd': the dot axes differ in size"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::Dot(1)({x1, x1, x1}), doctest::Contains("expects exactly 2 inputs; received 3"), Error);
  dot.build({{3}, {3}});
  const Matrix a = matrix({{1, 2, 3}}), b = matrix({{1, 2}});
  CHECK_THROWS_WITH_AS(dot.forward(std::vector<const Matrix*>{&a, &b}, true),
                       doctest::Contains("Dot 'd': expected 2 inputs of shapes [(None, 3), (None, 3)] with one row per "
                                         "sample; received [1 x 3, 1 x 2]"),
                       Error);
  CHECK_THROWS_WITH_AS(dot.forward(a, true), doctest::Contains("takes a list of inputs"), Error);
}

TEST_CASE("Dot matches PyTorch: output and both input gradients, every form of axes, with and without normalize") {
  // tests/fixtures/torch/make_dot_fixtures.py wrote these with torch.einsum and F.normalize(eps=1e-7), in float64.
  std::ifstream in(std::string(DESCENT_TESTS_DIR) + "/fixtures/torch/dot.json");
  REQUIRE(in);
  const json fixture = json::parse(in);
  REQUIRE(fixture["cases"].size() >= 10);
  for (const json& c : fixture["cases"]) {
    const std::string name = c["name"];
    CAPTURE(name);
    auto layer = nn::layer_from_json(c["layer"], name);
    auto& dot = dynamic_cast<nn::Dot&>(*layer);
    std::vector<Shape> shapes;
    for (const json& s : c["shapes"]) shapes.emplace_back(s.get<std::vector<Index>>());
    CHECK(dot.compute_output_shape(shapes) == Shape(c["output_shape"].get<std::vector<Index>>()));
    const Index n = c["batch"].get<Index>();
    const Matrix x1 = batch(c["x1"], n), x2 = batch(c["x2"], n);
    check_close(run(dot, shapes, x1, x2), batch(c["y"], n), "y");
    const auto& grads = dot.backward_list(batch(c["dy"], n));
    check_close(*grads[0], batch(c["dx1"], n), "dx1");
    check_close(*grads[1], batch(c["dx2"], n), "dx2");
  }
}
