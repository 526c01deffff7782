// The merge layers: values worked out by hand (with broadcasting), central-difference gradients, shape errors.
#include <doctest/doctest.h>

#include "../../../support/gradient_check.hpp"
#include "../../../support/matrices.hpp"

#include <descent/descent.hpp>

using namespace descent;
using testing::matrix;

namespace {

// Forward on inputs of the given shapes, after build.
const Matrix& run(nn::Merge& layer, const std::vector<Shape>& shapes, const std::vector<const Matrix*>& xs) {
  layer.build(shapes);
  return layer.forward(xs, true);
}

// With L = sum(w .* merge(xs)), the largest relative error of backward_list's dL/dx_k against central differences.
double merge_gradient_error(nn::Merge& layer, const std::vector<Shape>& shapes, std::vector<Matrix> xs) {
  std::vector<const Matrix*> ptrs;
  for (const Matrix& x : xs) ptrs.push_back(&x);
  const Matrix y = run(layer, shapes, ptrs);
  const Matrix w = testing::uniform_matrix(y.rows(), y.cols(), 7);
  auto objective = [&] {
    return static_cast<double>((layer.forward(ptrs, true).cast<double>().array() * w.cast<double>().array()).sum());
  };
  layer.forward(ptrs, true);
  std::vector<Matrix> grads;
  for (const Matrix* g : layer.backward_list(w)) grads.push_back(*g);
  double worst = 0;
  for (std::size_t k = 0; k < xs.size(); ++k)
    worst = std::max(worst, testing::relative_error(grads[k], testing::numeric_gradient(xs[k], objective)));
  return worst;
}

}  // namespace

TEST_CASE("element-wise merges: values by hand, with Keras's broadcasting of a 1 and of a missing leading axis") {
  const Matrix a = matrix({{1, -2, 3, 4, 0, 6}});  // a sample of shape (2, 3): [[1, -2, 3], [4, 0, 6]]
  const Matrix b = matrix({{10, 20, 30}});        // (1, 3): repeats over the first axis
  const Matrix c = matrix({{2, 5, -1}});          // (3,): a missing leading axis
  const std::vector<Shape> shapes = {{2, 3}, {1, 3}, {3}};
  nn::Add add;
  CHECK(run(add, shapes, {&a, &b, &c}) == matrix({{13, 23, 32, 16, 25, 35}}));
  nn::Multiply multiply;
  CHECK(run(multiply, shapes, {&a, &b, &c}) == matrix({{20, -200, -90, 80, 0, -180}}));
  nn::Average average;
  CHECK(testing::close(run(average, shapes, {&a, &b, &c}), matrix({{13, 23, 32, 16, 25, 35}}) / 3));
  nn::Maximum maximum;
  CHECK(run(maximum, {{2, 3}, {3}}, {&a, &c}) == matrix({{2, 5, 3, 4, 5, 6}}));
  nn::Minimum minimum;
  CHECK(run(minimum, {{2, 3}, {3}}, {&a, &c}) == matrix({{1, -2, -1, 2, 0, -1}}));
  nn::Subtract subtract;
  CHECK(run(subtract, {{2, 3}, {1, 3}}, {&a, &b}) == matrix({{-9, -22, -27, -6, -20, -24}}));
  CHECK(add.compute_output_shape(shapes) == Shape{2, 3});
  CHECK(add.compute_output_shape(std::vector<Shape>{{4, 1}, {3}}) == Shape{4, 3});  // both sides broadcast
}

TEST_CASE("element-wise merges: a broadcast input's gradient sums over the values it fed") {
  const Matrix a = matrix({{1, 2, 3, 4, 5, 6}});
  const Matrix b = matrix({{10, 20, 30}});
  nn::Add add;
  run(add, {{2, 3}, {3}}, {&a, &b});
  const Matrix dy = matrix({{1, 2, 3, 4, 5, 6}});  // Add hands dy itself back as the unbroadcast input's gradient
  const auto& grads = add.backward_list(dy);
  CHECK(*grads[0] == matrix({{1, 2, 3, 4, 5, 6}}));
  CHECK(*grads[1] == matrix({{5, 7, 9}}));
  // Maximum's gradient goes to the first input holding the maximum, as TensorFlow's maximum(a, b) gives ties to a.
  const Matrix x = matrix({{1, 5, 2}}), y = matrix({{1, 3, 4}});
  nn::Maximum maximum;
  run(maximum, {{3}, {3}}, {&x, &y});
  const auto& split = maximum.backward_list(matrix({{7, 8, 9}}));
  CHECK(*split[0] == matrix({{7, 8, 0}}));
  CHECK(*split[1] == matrix({{0, 0, 9}}));
}

TEST_CASE("merge gradients match central differences, with and without broadcasting") {
  const Matrix x1 = testing::uniform_matrix(3, 6, 1), x2 = testing::uniform_matrix(3, 6, 2);
  const Matrix x3 = testing::uniform_matrix(3, 3, 3);
  const std::vector<Shape> same = {{2, 3}, {2, 3}}, wide = {{2, 3}, {2, 3}, {3}};
  nn::Add add;
  CHECK(merge_gradient_error(add, wide, {x1, x2, x3}) < testing::kTolerance);
  nn::Subtract subtract;
  CHECK(merge_gradient_error(subtract, same, {x1, x2}) < testing::kTolerance);
  nn::Multiply multiply;
  CHECK(merge_gradient_error(multiply, wide, {x1, x2, x3}) < testing::kTolerance);
  nn::Average average;
  CHECK(merge_gradient_error(average, wide, {x1, x2, x3}) < testing::kTolerance);
  nn::Maximum maximum;  // values drawn apart, so no tie sits within the step
  CHECK(merge_gradient_error(maximum, wide, {x1, x2, x3}) < testing::kTolerance);
  nn::Minimum minimum;
  CHECK(merge_gradient_error(minimum, wide, {x1, x2, x3}) < testing::kTolerance);
  nn::Concatenate middle({.axis = 1});
  CHECK(merge_gradient_error(middle, {{2, 3}, {1, 3}}, {x1, x3}) < testing::kTolerance);
  nn::Concatenate last;
  CHECK(merge_gradient_error(last, {{2, 3}, {2, 3}}, {x1, x2}) < testing::kTolerance);
}

TEST_CASE("Concatenate: along the last axis by default, or any axis but the batch") {
  const Matrix a = matrix({{1, 2, 3, 4}});  // (2, 2)
  const Matrix b = matrix({{5, 6}});        // (2, 1) or (1, 2)
  nn::Concatenate last;
  CHECK(run(last, {{2, 2}, {2, 1}}, {&a, &b}) == matrix({{1, 2, 5, 3, 4, 6}}));
  CHECK(last.compute_output_shape(std::vector<Shape>{{2, 2}, {2, 1}}) == Shape{2, 3});
  nn::Concatenate first({.axis = 1});
  CHECK(run(first, {{2, 2}, {1, 2}}, {&a, &b}) == matrix({{1, 2, 3, 4, 5, 6}}));
  CHECK(first.compute_output_shape(std::vector<Shape>{{2, 2}, {1, 2}}) == Shape{3, 2});
  nn::Concatenate negative({.axis = -2});
  CHECK(negative.compute_output_shape(std::vector<Shape>{{2, 2}, {1, 2}}) == Shape{3, 2});
  CHECK_THROWS_WITH_AS(nn::Concatenate({.axis = 0}), doctest::Contains("axis 0 is the batch axis"), Error);
  CHECK_THROWS_WITH_AS(last.compute_output_shape(std::vector<Shape>{{2, 2}, {3, 1}}),
                       doctest::Contains("equal shapes except along axis -1; received [(None, 2, 2), (None, 3, 1)]"),
                       Error);
  nn::Concatenate far({.axis = 3});
  CHECK_THROWS_WITH_AS(far.compute_output_shape(std::vector<Shape>{{2, 2}, {2, 2}}),
                       doctest::Contains("axis 3 is out of range for inputs of rank 3"), Error);
}

TEST_CASE("merges: incompatible shapes and wrong input counts are Errors naming the layer and the shapes") {
  nn::Add add({.name = "sum"});
  CHECK_THROWS_WITH_AS(add.compute_output_shape(std::vector<Shape>{{3}, {4}}),
                       doctest::Contains("Add 'sum': inputs have incompatible shapes [(None, 3), (None, 4)]"), Error);
  nn::Subtract subtract;
  CHECK_THROWS_WITH_AS(subtract.compute_output_shape(std::vector<Shape>{{3}, {3}, {3}}),
                       doctest::Contains("expects exactly 2 inputs; received 3"), Error);
  add.build({{3}, {3}});
  const Matrix x = matrix({{1, 2, 3}}), y = matrix({{1, 2}});
  CHECK_THROWS_WITH_AS(add.forward(std::vector<const Matrix*>{&x, &y}, true),
                       doctest::Contains("expected 2 inputs of shapes [(None, 3), (None, 3)] with one row per sample; "
                                         "received [1 x 3, 1 x 2]"),
                       Error);
  CHECK_THROWS_WITH_AS(add.forward(x, true), doctest::Contains("takes a list of inputs"), Error);
}
